/** One sandbox child process: forked with a clean environment and fixed flags; its messages validated, its stderr logged. */
import { fork } from 'node:child_process';
import type { Logger } from '../../nodes/contract.js';
import { childCommand } from './child-command.js';
import { createOutbox, parseChildMessage, unbatch, type CancelRequest, type CheckRequest, type ChildConfig, type ChildMessage, type RunRequest, type SandboxErrorCode } from './protocol.js';

/** How long a retiring child may take to exit on its own before it is killed. */
const RETIRE_GRACE_MS = 1000;

export interface ChildHandle {
  readonly pid: number | undefined;
  readonly startedAt: number;
  /** True between 'ready' and 'retiring' / kill: only then may work be sent. */
  readonly accepting: boolean;
  /** The child got as far as 'ready' at some point. */
  readonly wasReady: boolean;
  /** What the child said before dying (RSS cap, catastrophic isolate error), and the call that caused it if known. */
  readonly fatal: { code: SandboxErrorCode; message: string; id?: number } | undefined;
  /** The child said it will exit after answering call `id` (an isolate did not stop there); its death is explained. */
  readonly retiring: { id?: number } | undefined;
  /** The last 2 KB of stderr, for start-up failures. */
  readonly stderrTail: string;
  send(msg: RunRequest | CancelRequest | CheckRequest, onError: (err: Error) => void): void;
  kill(): void;
  /** Resolves once the process is gone. */
  exited(): Promise<void>;
}

export interface ChildEvents {
  message(m: ChildMessage): void;
  exit(how: string): void;
}

export function spawnChild(limits: ChildConfig, events: ChildEvents, log?: Logger): ChildHandle {
  const cmd = childCommand();
  // env {}: the child needs no configuration from the environment and must hold none of the host's secrets.
  const proc = fork(cmd.modulePath, [JSON.stringify(limits)], {
    execPath: process.execPath, execArgv: cmd.execArgv, env: cmd.env ?? {}, stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'advanced',
  });
  let accepting = false;
  let wasReady = false;
  let gone = false;
  let fatal: ChildHandle['fatal'];
  let retiring: ChildHandle['retiring'];
  let stderrTail = '';
  const exitWaiters: Array<() => void> = [];

  const kill = (): void => {
    accepting = false;
    if (!gone && proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  };
  const markGone = (how: string): void => {
    if (gone) return;
    gone = true;
    accepting = false;
    for (let w = exitWaiters.shift(); w; w = exitWaiters.shift()) w();
    events.exit(how);
  };

  proc.on('message', (raw: unknown) => {
    const list = unbatch(raw);
    if (!list) {
      log?.error({ pid: proc.pid }, 'malformed message from the sandbox child; killing it');
      return kill();
    }
    for (const one of list) if (!onMessage(one)) return;
  });
  /** Handles one message; false once the child is being killed for a malformed one. */
  const onMessage = (raw: unknown): boolean => {
    const m = parseChildMessage(raw);
    if (!m) {
      log?.error({ pid: proc.pid }, 'malformed message from the sandbox child; killing it');
      kill();
      return false;
    }
    if (m.t === 'ready') accepting = wasReady = true;
    if (m.t === 'fatal') {
      accepting = false;
      fatal = { code: m.code, message: m.message, id: m.id };
    }
    if (m.t === 'retiring') {
      accepting = false;
      retiring = { id: m.id };
      log?.warn({ pid: proc.pid, reason: m.reason }, 'sandbox child retiring');
      setTimeout(kill, RETIRE_GRACE_MS).unref();
    }
    events.message(m);
    return true;
  };
  // Calls and cancels sent in one turn go as one IPC message (protocol.ts, Batch).
  const outbox = createOutbox<RunRequest | CancelRequest | CheckRequest, (err: Error) => void>((m, items) => {
    if (gone) return;
    proc.send(m, undefined, {}, (err: Error | null) => {
      if (err) for (const x of items) x.cb?.(err);
    });
  });
  proc.on('exit', (code, signal) => markGone(code === null ? `signal ${signal ?? 'unknown'}` : `exit code ${code}`));
  proc.on('error', (err) => {
    log?.warn({ err: err.message, pid: proc.pid }, 'sandbox child error');
    if (proc.pid === undefined) markGone(`spawn failed: ${err.message}`);
    else kill();
  });
  proc.stderr?.setEncoding('utf8');
  proc.stderr?.on('data', (chunk: string) => {
    stderrTail = (stderrTail + chunk).slice(-2048);
    log?.warn({ pid: proc.pid, stderr: chunk.slice(0, 2048) }, 'sandbox child stderr');
  });
  proc.stderr?.on('error', (err) => log?.warn({ err: err.message }, 'sandbox child stderr stream error'));

  return {
    pid: proc.pid,
    startedAt: Date.now(),
    get accepting() {
      return accepting;
    },
    get wasReady() {
      return wasReady;
    },
    get fatal() {
      return fatal;
    },
    get retiring() {
      return retiring;
    },
    get stderrTail() {
      return stderrTail;
    },
    send: (msg, onError) => outbox.push(msg, onError),
    kill,
    exited: () => (gone ? Promise.resolve() : new Promise<void>((resolve) => exitWaiters.push(resolve))),
  };
}
