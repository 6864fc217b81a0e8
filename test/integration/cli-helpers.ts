/** Spawns the real CLI (`node --no-node-snapshot --import tsx server/cli.ts …`) and collects its exit code and output. */
import { spawn } from 'node:child_process';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function cli(args: string[], env: Record<string, string>, timeoutMs = 60_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('HOOKFLOW_')));
    const p = spawn(process.execPath, ['--no-node-snapshot', '--import', 'tsx', 'server/cli.ts', ...args], {
      env: { ...clean, HOOKFLOW_LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
    p.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    const timer = setTimeout(() => { p.kill('SIGKILL'); reject(new Error(`cli ${args.join(' ')} timed out\n${stderr}`)); }, timeoutMs);
    p.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
  });
}

export const jsonLines = (text: string): Array<Record<string, unknown>> =>
  text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
