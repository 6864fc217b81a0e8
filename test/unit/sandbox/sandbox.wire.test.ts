/** Pure parts of the sandbox: message guards, child config parsing, and the host-side re-check of output caps. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { NodeError } from '../../../nodes/contract.js';
import { createOutbox, isRunRequest, MAX_BATCH, parseChildConfig, parseChildMessage, unbatch } from '../../../server/sandbox/protocol.js';
import { toAnswer } from '../../../server/sandbox/answer.js';
import { clipMessage, jsonDepthExceeds, resultOf } from '../../../server/sandbox/result.js';

const limits = { maxOutputBytes: 16, maxDepth: 3 };

function failure(fn: () => unknown): NodeError {
  try {
    fn();
  } catch (e) {
    if (e instanceof NodeError) return e;
    throw e;
  }
  return expect.fail('expected a NodeError');
}

describe('jsonDepthExceeds', () => {
  it.each([
    ['1', 0, false],
    ['[]', 1, false],
    ['[[]]', 1, true],
    ['{"a":[{"b":1}]}', 3, false],
    ['{"a":[{"b":1}]}', 2, true],
    ['"[[[[[["', 1, false],
    ['["\\"[[[[", []]', 2, false],
    ['["\\\\", [[[]]]]', 3, true],
  ])('%s with max %i → %s', (json, max, expected) => {
    expect(jsonDepthExceeds(json, max)).toBe(expected);
  });
});

describe('resultOf', () => {
  it('parses a result and keeps __proto__ as an own key', () => {
    const v = resultOf({ ok: true, json: '{"__proto__":{"x":1}}' }, { maxOutputBytes: 100, maxDepth: 3 });
    expect(Object.prototype.hasOwnProperty.call(v, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('maps a missing json to undefined', () => {
    expect(resultOf({ ok: true }, limits)).toBeUndefined();
  });

  it('counts UTF-8 bytes, not characters', () => {
    expect(resultOf({ ok: true, json: '"ééééééé"' }, limits)).toBe('ééééééé');
    expect(failure(() => resultOf({ ok: true, json: '"éééééééé"' }, limits)).code).toBe('sandbox_output');
  });

  it('re-checks depth', () => {
    expect(failure(() => resultOf({ ok: true, json: '[[[[1]]]]' }, limits)).message).toBe('output is nested deeper than 3 levels');
  });

  it('turns a failed answer into a permanent NodeError with details and a bounded message', () => {
    const err = failure(() => resultOf({ ok: false, code: 'user_code_error', message: 'm'.repeat(5000), details: { name: 'TypeError' } }, limits));
    expect(err).toMatchObject({ code: 'user_code_error', retryable: false, details: { name: 'TypeError' } });
    expect(err.message).toBe(clipMessage('m'.repeat(5000)));
    expect(err.message.length).toBe(2049);
  });
});

describe('protocol guards', () => {
  const run = { t: 'run', id: 1, lane: 0, cacheKey: 'k', kind: 'function', code: 'return 1', input: '', ctx: '{}', timeoutMs: 10, wallMs: 30 };

  it('accepts a well-formed run request and rejects malformed ones', () => {
    expect(isRunRequest(run)).toBe(true);
    for (const bad of [null, [], { ...run, kind: 'module' }, { ...run, id: 0 }, { ...run, input: {} }, { ...run, timeoutMs: 1.5 }, { ...run, lane: -1 }]) {
      expect(isRunRequest(bad)).toBe(false);
    }
  });

  it('parses child messages and drops anything unexpected', () => {
    expect(parseChildMessage({ t: 'ready', pid: 5 })).toEqual({ t: 'ready', pid: 5 });
    expect(parseChildMessage({ t: 'result', id: 2, ok: true, json: '1' })).toEqual({ t: 'result', id: 2, ok: true, json: '1', logs: undefined });
    expect(parseChildMessage({ t: 'result', id: 2, ok: false, code: 'sandbox_timeout', message: 'm', details: { name: 1 } })).toEqual({
      t: 'result', id: 2, ok: false, code: 'sandbox_timeout', message: 'm', details: undefined, logs: undefined,
    });
    expect(parseChildMessage({ t: 'retiring', reason: 'r' })).toEqual({ t: 'retiring', reason: 'r' });
    expect(parseChildMessage({ t: 'fatal', code: 'sandbox_memory', message: 'rss' })).toEqual({ t: 'fatal', code: 'sandbox_memory', message: 'rss' });
    for (const bad of [undefined, 'x', { t: 'result', id: 2, ok: false, code: 'made_up', message: 'm' }, { t: 'result', id: 2, ok: true, json: 1 }, { t: 'ready' }]) {
      expect(parseChildMessage(bad)).toBeUndefined();
    }
  });

  it('a batch is its messages, each still validated alone; a malformed batch is refused whole', () => {
    const one = { t: 'ready', pid: 5 };
    expect(unbatch(one)).toEqual([one]);
    expect(unbatch({ t: 'batch', m: [one, 'x'] })).toEqual([one, 'x']); // 'x' is then refused by parseChildMessage
    expect(unbatch({ t: 'batch', m: 'x' })).toBeUndefined();
    expect(unbatch({ t: 'batch', m: Array.from({ length: MAX_BATCH + 1 }, () => one) })).toBeUndefined();
  });

  it('messages pushed in one turn are written once, as a batch, in order; a lone one goes as itself', async () => {
    const writes: unknown[] = [];
    const out = createOutbox<number, string>((m, items) => writes.push({ m, cbs: items.map((x) => x.cb) }));
    out.push(1, 'a');
    out.push(2, 'b');
    out.push(3);
    expect(writes).toEqual([]);
    await new Promise((r) => setImmediate(r));
    expect(writes).toEqual([{ m: { t: 'batch', m: [1, 2, 3] }, cbs: ['a', 'b', undefined] }]);
    out.push(4);
    out.flush();
    expect(writes[1]).toEqual({ m: 4, cbs: [undefined] });
  });

  it('parses the child config and names a bad field', () => {
    const cfg = { memoryMb: 64, maxOutputBytes: 1024, maxDepth: 64, maxLogBytes: 100, maxContexts: 8, childRssMb: 512, lanes: 4 };
    expect(parseChildConfig(JSON.stringify(cfg))).toEqual(cfg);
    expect(() => parseChildConfig(JSON.stringify({ ...cfg, maxDepth: -1 }))).toThrow('config.maxDepth must be a positive integer');
    expect(() => parseChildConfig(undefined)).toThrow();
  });
});

describe('host code never hands isolated-vm dangerous inputs (S-22, CVE-2021-21413, CVE-2022-39266)', () => {
  const serverDir = fileURLToPath(new URL('../../../server', import.meta.url));
  const sources = readdirSync(serverDir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => ({ file: f, text: readFileSync(join(serverDir, f), 'utf8') }));

  it('finds the server sources', () => {
    expect(sources.some((s) => s.file.endsWith('isolate-host.ts'))).toBe(true);
  });

  it('passes no SharedArrayBuffer into an ExternalCopy, and uses no cachedData', () => {
    for (const { file, text } of sources) {
      expect(`${file}: ${/ExternalCopy\([^)]*SharedArrayBuffer/.test(text)}`).toBe(`${file}: false`);
      expect(`${file}: ${/cachedData|produceCachedData/.test(text)}`).toBe(`${file}: false`);
    }
  });

  it('keeps isolated-vm out of everything but the isolate host', () => {
    const users = sources.filter((s) => /from 'isolated-vm'|require\('isolated-vm'\)/.test(s.text)).map((s) => s.file);
    expect(users).toEqual([join('sandbox', 'isolate-host.ts')]);
  });
});

describe('toAnswer (the harness\'s answer string, S-32)', () => {
  const cfg = { maxOutputBytes: 20, maxLogBytes: 10 };
  const head = (h: Record<string, unknown>, json = ''): string => `${JSON.stringify(h)}\n${json}`;

  it('reads a result and whether the context stays', () => {
    expect(toAnswer(head({ s: 'ok', l: '', d: 0, k: true }, '{"a":1}'), cfg)).toEqual({ answer: { ok: true, json: '{"a":1}', logs: undefined }, keep: true });
    expect(toAnswer(head({ s: 'ok', k: false }), cfg)).toEqual({ answer: { ok: true, json: undefined, logs: undefined }, keep: false });
  });

  it('clips every text and refuses an oversized result, whatever the isolate sends', () => {
    const e = toAnswer(head({ s: 'error', a: 'm'.repeat(10_000), b: 'n'.repeat(1000), c: 's'.repeat(10_000), l: 'x'.repeat(100), k: true }), cfg).answer;
    expect(e).toMatchObject({ ok: false, code: 'user_code_error' });
    if (e.ok) return;
    expect([e.message.length, e.details?.name?.length, e.details?.stack?.length, e.logs?.length]).toEqual([4096, 200, 4096, 11]);
    expect(toAnswer(head({ s: 'ok', k: true }, 'x'.repeat(21)), cfg).answer).toMatchObject({ ok: false, code: 'sandbox_output' });
  });

  it('maps pending to a timeout that drops the context, and garbage to sandbox_crash', () => {
    expect(toAnswer(head({ s: 'pending', k: true }), cfg)).toMatchObject({ answer: { code: 'sandbox_timeout' }, keep: false });
    for (const bad of [undefined, 42, 'no newline', '[1]\n', 'null\n', head({ s: 'weird' })]) {
      expect(toAnswer(bad, cfg)).toMatchObject({ answer: { ok: false, code: 'sandbox_crash' }, keep: false });
    }
    expect(toAnswer(head({ s: 'error', a: 'Array buffer allocation failed' }), cfg).answer).toMatchObject({ code: 'sandbox_memory' });
    expect(toAnswer(head({ s: 'dirty', k: true }), cfg)).toMatchObject({ keep: false, rerun: true });
  });
});
