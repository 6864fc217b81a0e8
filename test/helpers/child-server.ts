/** Run Hookflow as a real child process (`node --no-node-snapshot --import tsx server/cli.ts start`). */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { TEST_TOKEN } from './app.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export interface ChildServer {
  proc: ChildProcess;
  url: string;
  output(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** `startTimeoutMs`: how long to wait for /healthz (a cluster test starting several processes on a busy machine needs more). */
export async function startChildServer(dataDir: string, port: number, env: Record<string, string> = {}, startTimeoutMs = 30_000): Promise<ChildServer> {
  const proc = spawn(process.execPath, ['--no-node-snapshot', '--import', 'tsx', 'server/cli.ts', 'start'], {
    cwd: ROOT,
    env: {
      ...process.env, NODE_OPTIONS: '', HOOKFLOW_PORT: String(port), HOOKFLOW_HOST: '127.0.0.1', HOOKFLOW_DATA_DIR: dataDir,
      HOOKFLOW_API_TOKEN: TEST_TOKEN, HOOKFLOW_LOG_LEVEL: 'warn', ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => { out = (out + d.toString()).slice(-20_000); });
  proc.stderr?.on('data', (d: Buffer) => { out = (out + d.toString()).slice(-20_000); });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited ${proc.exitCode}: ${out}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) throw new Error(`server did not start: ${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    proc, url, output: () => out,
    kill: (signal = 'SIGKILL') => new Promise((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
      proc.once('exit', () => resolve());
      proc.kill(signal);
    }),
  };
}
