/** How the single binary runs its own sandbox child: a marker argument, and --no-node-snapshot through NODE_OPTIONS. */
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
 * A SEA treats every command-line argument as the application's own (execArgv stays empty), but Node 20.20 still
 * reads NODE_OPTIONS, and `--no-node-snapshot` there does turn the embedded startup snapshot off (observed with
 * NODE_DEBUG_NATIVE=mksnapshot: no snapshot is deserialised). `fork(modulePath)` runs `<binary> <modulePath> <args>`,
 * so the marker goes where a script path would. The child gets only these variables, never the host's secrets.
 */
export function seaChildCommand(): SeaChildCommand {
  return {
    modulePath: SANDBOX_CHILD_ARG,
    execArgv: [],
    env: { NODE_OPTIONS: NO_SNAPSHOT, [NATIVE_DIR_ENV]: nativeBaseDir(process.env) },
  };
}

/** The binary was started as a sandbox child (argv: binary, binary, marker, config). */
export const isSandboxChildInvocation = (argv: readonly string[]): boolean => isSea() && argv[2] === SANDBOX_CHILD_ARG;

/** Whether this process started without Node's startup snapshot (isolated-vm is unsafe with it on Node >= 20). */
export function startedWithoutSnapshot(execArgv: readonly string[], env: Readonly<Record<string, string | undefined>>): boolean {
  if (execArgv.includes(NO_SNAPSHOT)) return true;
  return isSea() && (env.NODE_OPTIONS ?? '').split(/\s+/).includes(NO_SNAPSHOT);
}

/** The child's JSON config argument: after the script path normally, after the marker in the binary. */
export const childConfigArg = (argv: readonly string[]): string | undefined => argv[isSandboxChildInvocation(argv) ? 3 : 2];
