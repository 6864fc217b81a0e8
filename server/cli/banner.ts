/** The few lines `hookflow start` prints for a person at a terminal (pretty log format): where it runs, and what to do first. */

export interface BannerInput {
  /** Where the editor and API answer (HOOKFLOW_PUBLIC_URL, else the listen address). */
  url: string;
  dataDir: string;
  /** The one-time setup link while no owner account exists. */
  setupUrl?: string;
  color: boolean;
}

export function banner(b: BannerInput): string {
  const bold = (s: string): string => (b.color ? `\x1b[1m${s}\x1b[22m` : s);
  const cyan = (s: string): string => (b.color ? `\x1b[36m${s}\x1b[39m` : s);
  const lines = [
    '',
    `  ${bold('Hookflow is running')}`,
    `  Editor and API   ${cyan(b.url)}`,
    `  Data directory   ${b.dataDir}`,
  ];
  if (b.setupUrl !== undefined) lines.push(`  First, open      ${cyan(b.setupUrl)}`, '                   to create the owner account (the link works once)');
  lines.push('  Stop with Ctrl+C; logs follow.', '');
  return lines.join('\n');
}
