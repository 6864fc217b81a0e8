/** Sandbox child process entry: refuses to start without --no-node-snapshot, then answers run requests over IPC one at a time. */
import { EXIT_NO_SNAPSHOT_FLAG, isRunRequest, parseChildConfig, type ChildMessage, type RunRequest, type SandboxErrorCode } from './protocol.js';
import { childConfigArg, startedWithoutSnapshot } from '../runtime/sea-child.js';

const RSS_CHECK_MS = 100;
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
  const { createIsolateHost } = await import('./isolate-host.js');

  const post = (m: ChildMessage, after?: () => void): void => {
    send(m, undefined, {}, (err: Error | null) => (err ? die() : after?.()));
  };
  const fatal = (code: SandboxErrorCode, message: string): void => {
    process.stderr.write(`hookflow sandbox child: ${message}\n`);
    post({ t: 'fatal', code, message }, die);
    setTimeout(die, FATAL_FALLBACK_MS);
  };
  const checkRss = (): void => {
    const rssMb = process.memoryUsage.rss() / (1024 * 1024);
    if (rssMb > config.childRssMb) fatal('sandbox_memory', `sandbox process RSS ${Math.round(rssMb)} MB exceeds its cap of ${config.childRssMb} MB`);
  };

  let exitAfterAnswer = false;
  const host = createIsolateHost(config, {
    onCatastrophic: (message) =>
      fatal(message.includes('out-of-memory') ? 'sandbox_memory' : 'sandbox_crash', `isolated-vm catastrophic error: ${message}`),
    onWedged: () => {
      exitAfterAnswer = true;
    },
  });

  const queue: RunRequest[] = [];
  let busy = false;
  const pump = async (): Promise<void> => {
    busy = true;
    for (let req = queue.shift(); req; req = queue.shift()) {
      const answer = await host.run(req);
      if (exitAfterAnswer) post({ t: 'retiring', reason: 'an isolate did not stop after disposal' });
      post({ t: 'result', id: req.id, ...answer }, exitAfterAnswer ? die : undefined);
    }
    busy = false;
  };

  process.on('message', (m: unknown) => {
    if (!isRunRequest(m)) return fatal('sandbox_crash', 'malformed request from the supervisor');
    queue.push(m);
    if (!busy) pump().catch((e: unknown) => fatal('sandbox_crash', `sandbox child failed: ${String(e)}`));
  });
  // The supervisor is gone: nobody is left to answer.
  process.on('disconnect', die);
  setInterval(checkRss, RSS_CHECK_MS).unref();
  post({ t: 'ready', pid: process.pid });
}

main().catch((e: unknown) => {
  process.stderr.write(`hookflow sandbox child: failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(70);
});
