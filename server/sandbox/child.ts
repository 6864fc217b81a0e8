/** Sandbox child process entry: refuses to start without --no-node-snapshot, then runs calls in lanes (one isolate each, on its own thread) and answers over IPC. */
import type { IsolateHost } from './isolate-host.js';
import { createOutbox, EXIT_NO_SNAPSHOT_FLAG, isCancelRequest, isCheckRequest, isRunRequest, parseChildConfig, unbatch, type ChildMessage, type RunRequest, type SandboxErrorCode } from './protocol.js';
import { childConfigArg, startedWithoutSnapshot } from '../runtime/sea-child.js';

const RSS_CHECK_MS = 100;
/** A lane idle this long disposes its isolate. */
const LANE_IDLE_MS = 60_000;
/** If the IPC send callback never comes (stuck event loop), die anyway. */
const FATAL_FALLBACK_MS = 250;

function refuse(reason: string): never {
  process.stderr.write(`hookflow sandbox child: refusing to start: ${reason}\n`);
  process.exit(EXIT_NO_SNAPSHOT_FLAG);
}

/** SIGKILL ourselves: `process.exit` can hang behind an isolate thread that ignores termination. */
const die = (): void => {
  process.kill(process.pid, 'SIGKILL');
};

async function main(): Promise<void> {
  // Checked before isolated-vm is loaded (THREATS S-25, isolated-vm #420).
  if (!startedWithoutSnapshot(process.execArgv, process.env)) {
    refuse('node must be started with --no-node-snapshot (isolated-vm is unsafe on Node >= 20 without it)');
  }
  const send = process.send?.bind(process);
  if (!send) refuse('no IPC channel; the sandbox supervisor starts this process');
  const config = parseChildConfig(childConfigArg(process.argv));
  const { createIsolateHost, createCompileChecker } = await import('./isolate-host.js');
  const checker = createCompileChecker(config.memoryMb);

  // Answers finished in one turn go back as one IPC message; anything else first flushes them, then goes alone.
  const results = createOutbox<ChildMessage, never>((m) => send(m, undefined, {}, (err: Error | null) => (err ? die() : undefined)));
  const post = (m: ChildMessage, after?: () => void): void => {
    if (m.t === 'result' && after === undefined) return results.push(m);
    results.flush();
    send(m, undefined, {}, (err: Error | null) => (err ? die() : after?.()));
  };
  let dying = false;
  const fatal = (code: SandboxErrorCode, message: string, id?: number): void => {
    if (dying) return;
    dying = true;
    process.stderr.write(`hookflow sandbox child: ${message}\n`);
    post({ t: 'fatal', code, message, ...(id === undefined ? {} : { id }) }, die);
    setTimeout(die, FATAL_FALLBACK_MS);
  };

  const lanes = Array.from({ length: config.lanes }, () => ({
    host: undefined as IsolateHost | undefined, queue: [] as RunRequest[], busy: false, usedAt: Date.now(),
  }));
  const hostOf = (lane: (typeof lanes)[number]): IsolateHost =>
    (lane.host ??= createIsolateHost(config, {
      onCatastrophic: (message, id) =>
        fatal(message.includes('out-of-memory') ? 'sandbox_memory' : 'sandbox_crash', `isolated-vm catastrophic error: ${message}`, id),
    }));

  /** Each lane runs its calls one at a time, on its own isolate's thread; lanes run side by side. */
  const pump = async (lane: (typeof lanes)[number]): Promise<void> => {
    lane.busy = true;
    const host = hostOf(lane);
    await host.drain(lane.queue, (req, answer) => {
      lane.usedAt = Date.now();
      // A wedged isolate's thread cannot be reclaimed: the child exits after this answer (other lanes' calls are re-run).
      if (host.wedged) post({ t: 'retiring', reason: 'an isolate did not stop after disposal', id: req.id });
      post({ t: 'result', id: req.id, ...answer }, host.wedged ? die : undefined);
    });
    lane.busy = host.wedged;
  };

  const cancel = (id: number): void => {
    for (const lane of lanes) {
      const i = lane.queue.findIndex((r) => r.id === id);
      if (i >= 0) {
        lane.queue.splice(i, 1);
        post({ t: 'result', id, ok: false, code: 'sandbox_canceled', message: 'the call was canceled before it started' });
        return;
      }
      if (lane.host?.cancel(id)) return;
    }
  };

  process.on('message', (raw: unknown) => {
    const list = unbatch(raw);
    if (!list) return fatal('sandbox_crash', 'malformed request from the supervisor');
    for (const m of list) onRequest(m);
  });
  const onRequest = (m: unknown): void => {
    if (isCancelRequest(m)) return cancel(m.id);
    if (isCheckRequest(m)) {
      checker.check(m).then((problem) => post({ t: 'checked', id: m.id, ...(problem ? { problem } : {}) }),
        (e: unknown) => post({ t: 'checked', id: m.id, problem: { message: `could not compile: ${String(e)}` } }));
      return;
    }
    if (!isRunRequest(m) || m.lane >= lanes.length) return fatal('sandbox_crash', 'malformed request from the supervisor');
    const lane = lanes[m.lane] as (typeof lanes)[number];
    lane.queue.push(m);
    if (!lane.busy) pump(lane).catch((e: unknown) => fatal('sandbox_crash', `sandbox child failed: ${String(e)}`));
  };
  // A lane unused for a while gives its isolate (and warm contexts) back.
  setInterval(() => {
    for (const lane of lanes) if (!lane.busy && Date.now() - lane.usedAt > LANE_IDLE_MS) lane.host?.release();
  }, LANE_IDLE_MS / 4).unref();
  // Over the RSS cap the child ends; the call to blame is known only when one lane was running.
  const checkRss = (): void => {
    const rssMb = process.memoryUsage.rss() / (1024 * 1024);
    if (rssMb <= config.childRssMb) return;
    const busy = lanes.filter((l) => l.host?.running !== undefined);
    fatal('sandbox_memory', `sandbox process RSS ${Math.round(rssMb)} MB exceeds its cap of ${config.childRssMb} MB`, busy.length === 1 ? busy[0]?.host?.running : undefined);
  };
  // The supervisor is gone: nobody is left to answer.
  process.on('disconnect', die);
  setInterval(checkRss, RSS_CHECK_MS).unref();
  post({ t: 'ready', pid: process.pid });
}

main().catch((e: unknown) => {
  process.stderr.write(`hookflow sandbox child: failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(70);
});
