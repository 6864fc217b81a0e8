/** Which Node.js runs Hookflow: 24 LTS (the one it is built, tested and packaged for) and 22.12+ (maintenance LTS). */

/** The same range as package.json `engines.node` (a unit test keeps the two equal). */
export const SUPPORTED_NODE = '^22.12.0 || >=24.0.0';

/**
 * Undefined when `version` (`process.versions.node`, with or without a leading `v`) is supported, else the one
 * line to print. Node 20 is past its end of life, its V8 is the one the sandbox must not sit on, and the native
 * addons (better-sqlite3 13, isolated-vm 6) ship builds for Node 22 and 24 only; odd releases (23, 25) are
 * short-lived and get no prebuilt addons either, so only 22.12+ and 24+ pass. Pure: no I/O, no imports.
 */
export function unsupportedNode(version: string): string | undefined {
  const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map((n) => Number.parseInt(n, 10) || 0);
  if (major >= 24 || (major === 22 && minor >= 12)) return undefined;
  const shown = version.startsWith('v') ? version : `v${version}`;
  return `Node.js ${shown} is not supported: Hookflow needs Node.js 24 LTS, or 22.12 or newer (README.md, "Quick start", says how to install it)`;
}
