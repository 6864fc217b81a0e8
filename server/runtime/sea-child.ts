/** How the single binary runs its own sandbox child: a marker argument; --no-node-snapshot comes from the SEA config. */
import { NATIVE_DIR_ENV, isSea, nativeBaseDir } from './sea-assets.js';

/** First argument that makes the binary run the sandbox child instead of the CLI. */
export const SANDBOX_CHILD_ARG = '--hookflow-sandbox-child';
const NO_SNAPSHOT = '--no-node-snapshot';

export interface SeaChildCommand {
  modulePath: string;
  execArgv: string[];
  env: Record<string, string>;
}

/**
 * A SEA treats every command-line argument as the application's own, so `fork(..., { execArgv })` cannot pass node
 * flags. The binary's SEA config carries `"execArgv": ["--no-node-snapshot"]` instead (scripts/package.mjs), which
 * Node 24 applies to every start of the binary, this child included: `process.execArgv` holds the flag and no
 * startup snapshot is deserialised (NODE_DEBUG_NATIVE=mksnapshot prints nothing; test/package/binary.test.ts).
 * `fork(modulePath)` runs `<binary> <modulePath> <args>`, so the marker goes where a script path would. The child
 * gets only the extraction folder's variable, never the host's secrets.
 */
export function seaChildCommand(): SeaChildCommand {
  return { modulePath: SANDBOX_CHILD_ARG, execArgv: [], env: { [NATIVE_DIR_ENV]: nativeBaseDir(process.env) } };
}

/** The binary was started as a sandbox child (argv: binary, binary, marker, config). */
export const isSandboxChildInvocation = (argv: readonly string[]): boolean => isSea() && argv[2] === SANDBOX_CHILD_ARG;

/**
 * Whether this process started without Node's startup snapshot (isolated-vm is unsafe with it): `node
 * --no-node-snapshot`, or the binary's SEA execArgv, both seen in `process.execArgv`. The environment is not read:
 * NODE_OPTIONS is no proof (the second parameter stays for the caller's signature only).
 */
export const startedWithoutSnapshot = (execArgv: readonly string[], _env?: unknown): boolean => execArgv.includes(NO_SNAPSHOT);

/** The child's JSON config argument: after the script path normally, after the marker in the binary. */
export const childConfigArg = (argv: readonly string[]): string | undefined => argv[isSandboxChildInvocation(argv) ? 3 : 2];
