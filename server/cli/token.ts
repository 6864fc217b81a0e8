/** `hookflow token create <name>`: a new API token through the accounts module, printed once on stdout (only its digest is stored). */
import type { Config } from '../config.js';
import { openLocal } from './local.js';
import { parseArgs, UsageError } from './args.js';

export const TOKEN_USAGE = 'hookflow token create <name> [--read-only]   (prints the token once on stdout; keep it, it cannot be shown again; --read-only: GET and HEAD only, no webhook URLs)';

export async function tokenCommand(cfg: Config, argv: readonly string[], say: (line: string) => void, note: (line: string) => void): Promise<number> {
  const args = parseArgs(argv, { valued: [], flags: ['read-only'] });
  const [sub, name, extra] = args.positionals;
  if (sub !== 'create') throw new UsageError(sub === undefined ? 'token needs a sub-command' : `unknown token sub-command "${sub}"`);
  if (name === undefined || name.trim() === '' || name.length > 100) throw new UsageError('name must be 1 to 100 characters');
  if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}" (quote a name with spaces)`);
  const local = await openLocal(cfg);
  try {
    const t = await local.tokens.create(null, name.trim(), args.flags.has('read-only') ? 'read' : 'owner');
    note(`created ${t.scope === 'read' ? 'read-only ' : ''}API token ${t.id} "${t.name}"; it is shown once, below`);
    say(t.token);
  } finally {
    await local.close();
  }
  return 0;
}
