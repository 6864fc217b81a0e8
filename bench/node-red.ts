/** Node-RED beside Hookflow in `npm run bench -- --peers`: installed on first use into git-ignored bench/.peers, never a product dependency. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const NODE_RED_VERSION = '4.1.15';
const PEERS = fileURLToPath(new URL('./.peers', import.meta.url));
const RED_JS = join(PEERS, 'node-red/node_modules/node-red/red.js');

const NR_FUNC = 'msg.payload = { id: msg.payload.id, total: msg.payload.items.reduce((s, i) => s + i.qty * i.price, 0) };\nreturn msg;';
/** sync: http in → function → http response; ack: http in → http response (202) and → function. */
const nrFlows = [
  { id: 'tab', type: 'tab', label: 'bench' },
  { id: 'in1', z: 'tab', type: 'http in', url: '/sync', method: 'post', upload: false, wires: [['fn1']] },
  { id: 'fn1', z: 'tab', type: 'function', func: NR_FUNC, outputs: 1, wires: [['res1']] },
  { id: 'res1', z: 'tab', type: 'http response', statusCode: '', headers: {}, wires: [] },
  { id: 'in2', z: 'tab', type: 'http in', url: '/ack', method: 'post', upload: false, wires: [['res2', 'fn2']] },
  { id: 'res2', z: 'tab', type: 'http response', statusCode: '202', headers: {}, wires: [] },
  { id: 'fn2', z: 'tab', type: 'function', func: NR_FUNC, outputs: 1, wires: [[]] },
];

export function ensureNodeRed(): void {
  if (existsSync(RED_JS)) return;
  console.log(`installing node-red@${NODE_RED_VERSION} into bench/.peers/node-red (first use only) …`);
  const dir = join(PEERS, 'node-red');
  execFileSync('npm', ['install', '--prefix', dir, '--no-audit', '--no-fund', '--no-save', `node-red@${NODE_RED_VERSION}`], { stdio: 'inherit' });
}

/** A user directory holding the flows and settings for one Node-RED process on `port`, and the arguments to start it. */
export function nodeRedInstance(port: number): { dir: string; argv: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'hookflow-bench-nr-'));
  writeFileSync(join(dir, 'flows.json'), JSON.stringify(nrFlows));
  writeFileSync(join(dir, 'settings.js'), `module.exports = ${JSON.stringify({
    uiHost: '127.0.0.1', uiPort: port, flowFile: 'flows.json', credentialSecret: false,
    logging: { console: { level: 'error', metrics: false, audit: false } }, telemetry: { enabled: false }, editorTheme: { tours: false },
  })};\n`);
  return { dir, argv: [RED_JS, '-u', dir, '-s', join(dir, 'settings.js')] };
}
