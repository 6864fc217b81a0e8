/** Command-line entry: `hookflow [start]`, import, export, run, token, migrate, doctor, help. Exit codes: 64 usage, 78 config, 1 failure. */
import { loadConfig, ConfigError, roleFrom, type Config } from '../config.js';
import { startHookflow } from '../main.js';
import { parseArgs, single, UsageError } from './args.js';
import { migrateStoreCommand, MIGRATE_STORE_USAGE } from './migrate-store.js';
import { importFlows, exportFlows, IMPORT_USAGE, EXPORT_USAGE } from './flows-io.js';
import { runCommand, RUN_USAGE } from './run-flow.js';
import { tokenCommand, TOKEN_USAGE } from './token.js';
import { doctorCommand, DOCTOR_USAGE } from './doctor.js';
import { migrateCommand } from './migrate.js';
import { backupCommand, BACKUP_USAGE } from './backup.js';
import { banner } from './banner.js';
import { logFormatFor, useColor } from '../observability/log.js';

const HELP = `Hookflow: webhook-triggered workflow automation.

Usage: hookflow [command] [arguments]

Commands:
  start [--role all|ingress|worker]
                         run the server (default); the role also comes from HOOKFLOW_ROLE (docs/scale-out.md)
  import <file...>       create flows from flow documents (validated like POST /api/flows; published unless --draft)
  export [--flow <id>] [--out <file>]
                         write flow documents (never webhook tokens)
  run <flow.json> --payload <file> [--header name:value]... [--dry-run]
                         run a flow once in a temporary instance; one JSON line per node
  token create <name>    create an API token and print it once
  migrate                apply database migrations and exit
  migrate-store --to postgres://… [--history]
                         copy this data directory's SQLite database into PostgreSQL
  backup <directory>     copy the database (consistent, while running) and secret.key
  doctor                 check the data directory, secret key, the store (SQLite or PostgreSQL), sandbox and free disk
  help                   show this text

Exit codes: 0 ok, 1 failed, 64 bad command line, 78 bad configuration.
Configuration is read from HOOKFLOW_* environment variables; see README.md.
Needs Node.js 24 LTS (or 22.12+); the sandbox child always runs with --no-node-snapshot.`;

const USAGE: Record<string, string> = {
  import: IMPORT_USAGE, export: EXPORT_USAGE, run: RUN_USAGE, token: TOKEN_USAGE, doctor: DOCTOR_USAGE, migrate: 'hookflow migrate',
  backup: BACKUP_USAGE, 'migrate-store': MIGRATE_STORE_USAGE,
};

const say = (line: string): void => { process.stdout.write(`${line}\n`); };
const note = (line: string): void => { process.stderr.write(`${line}\n`); };

async function serve(cfg: Config): Promise<number> {
  const app = await startHookflow(cfg);
  const tty = process.stdout.isTTY === true;
  if (logFormatFor(cfg.logFormat, tty) === 'pretty') {
    say(banner({ url: cfg.publicUrl ?? app.url, dataDir: cfg.dataDir, setupUrl: app.setupUrl(), color: useColor(tty, process.env) }));
  }
  const stop = (signal: string): void => {
    note(`hookflow: ${signal}, stopping`);
    app.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  process.on('SIGHUP', () => { app.reloadTls(); }); // new certificate for new handshakes; a bad one is logged, never fatal
  return -1;
}

/** `start --role X` overrides HOOKFLOW_ROLE. */
function withRole(cfg: Config, rest: string[]): Config {
  const role = single(parseArgs(rest, { valued: ['role'], flags: [] }), 'role');
  return role === undefined ? cfg : { ...cfg, role: roleFrom(role, '--role') };
}

async function dispatch(cmd: string, cfg: Config, rest: string[]): Promise<number> {
  switch (cmd) {
    case 'start': return serve(withRole(cfg, rest));
    case 'migrate': return migrateCommand(cfg, say);
    case 'migrate-store': return migrateStoreCommand(cfg, rest, say);
    case 'import': return importFlows(cfg, rest, say);
    case 'export': return exportFlows(cfg, rest, say);
    case 'run': return runCommand(cfg, rest, say);
    case 'token': return tokenCommand(cfg, rest, say, note);
    case 'doctor': return doctorCommand(cfg, rest, say);
    case 'backup': return backupCommand(cfg, rest, say);
    default: throw new UsageError(`unknown command "${cmd}"`);
  }
}

async function main(argv: string[]): Promise<number> {
  const [cmd = 'start', ...rest] = argv;
  if (cmd === 'help' || cmd === '--help' || cmd === '-h') {
    say(HELP);
    return 0;
  }
  if (!(cmd in USAGE) && cmd !== 'start') {
    note(`hookflow: unknown command "${cmd}"\n\n${HELP}`);
    return 64;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    say(`Usage: ${USAGE[cmd] ?? 'hookflow start'}`);
    return 0;
  }
  let cfg: Config;
  try {
    cfg = loadConfig(process.env);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    note(`hookflow: bad configuration: ${e.message}`);
    return 78;
  }
  try {
    return await dispatch(cmd, cfg, rest);
  } catch (e) {
    if (e instanceof UsageError) {
      note(`hookflow ${cmd}: ${e.message}\nUsage: ${USAGE[cmd] ?? 'hookflow start'}`);
      return 64;
    }
    if (e instanceof ConfigError) { // found while starting, e.g. an unreadable HOOKFLOW_TLS_CERT
      note(`hookflow: bad configuration: ${e.message}`);
      return 78;
    }
    // A wrong secret key, an unreadable data directory…: one line, exit 1 (tests match the start message).
    note(cmd === 'start' ? `hookflow: could not start: ${(e as Error).message}` : `hookflow ${cmd}: ${(e as Error).message}`);
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => { if (code >= 0) process.exit(code); },
  (e: unknown) => {
    console.error(`hookflow: ${(e as Error).message}`);
    process.exit(1);
  },
);
