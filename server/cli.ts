/** Command-line entry: `hookflow [start]`, `hookflow migrate`, `hookflow --help`. */
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { loadConfig, ConfigError } from './config.js';
import { startHookflow } from './main.js';
import { createSqliteStore } from './store/sqlite/index.js';
import { createIds } from './adapters/ids.js';

const HELP = `Hookflow: webhook-triggered workflow automation.

Usage: hookflow [command]

Commands:
  start      run the server (default)
  migrate    apply database migrations and exit
  help       show this text

Configuration is read from HOOKFLOW_* environment variables; see README.md.
Run with node --no-node-snapshot (npm start does).`;

async function main(argv: string[]): Promise<number> {
  const cmd = argv[0] ?? 'start';
  if (cmd === 'help' || cmd === '--help' || cmd === '-h') {
    console.log(HELP);
    return 0;
  }
  let cfg;
  try {
    cfg = loadConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`hookflow: bad configuration: ${e.message}`);
      return 78;
    }
    throw e;
  }
  if (cmd === 'migrate') {
    mkdirSync(cfg.dataDir, { recursive: true });
    createSqliteStore(join(cfg.dataDir, 'hookflow.db'), createIds()).close();
    console.log('migrations applied');
    return 0;
  }
  if (cmd !== 'start') {
    console.error(`hookflow: unknown command "${cmd}"\n\n${HELP}`);
    return 64;
  }
  const app = await startHookflow(cfg);
  const stop = (signal: string): void => {
    console.error(`hookflow: ${signal}, stopping`);
    app.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  return -1;
}

main(process.argv.slice(2)).then(
  (code) => { if (code >= 0) process.exit(code); },
  (e: unknown) => {
    console.error(`hookflow: could not start: ${(e as Error).message}`);
    process.exit(1);
  },
);
