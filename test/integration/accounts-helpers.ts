/** Helpers for the accounts integration tests: real HTTP calls with cookies parsed from Set-Cookie. */
import { startTestApp, type TestApp } from '../helpers/app.js';

export const OWNER = { email: 'owner@example.test', password: 'correct horse battery staple' };
export const OWNER_ENV = { HOOKFLOW_OWNER_EMAIL: OWNER.email, HOOKFLOW_OWNER_PASSWORD: OWNER.password };

export interface SetCookie {
  name: string;
  value: string;
  /** Attribute names lower-cased; valueless attributes map to true. */
  attrs: Record<string, string | true>;
}

export function parseSetCookies(headers: Headers): SetCookie[] {
  return headers.getSetCookie().map((line) => {
    const [pair, ...rest] = line.split(';');
    const eq = pair.indexOf('=');
    const attrs: Record<string, string | true> = {};
    for (const a of rest) {
      const i = a.indexOf('=');
      if (i < 0) attrs[a.trim().toLowerCase()] = true;
      else attrs[a.slice(0, i).trim().toLowerCase()] = a.slice(i + 1).trim();
    }
    return { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), attrs };
  });
}

export interface Reply {
  status: number;
  body: any;
  text: string;
  headers: Headers;
  /** The `hookflow_session` Set-Cookie, if the answer had one. */
  session?: SetCookie;
}

export interface CallOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /** A session cookie value to send. */
  cookie?: string;
}

export async function call(base: string | TestApp, method: string, path: string, o: CallOptions = {}): Promise<Reply> {
  const url = typeof base === 'string' ? base : base.url;
  const headers: Record<string, string> = { ...o.headers };
  if (o.body !== undefined) headers['content-type'] ??= 'application/json';
  if (o.cookie !== undefined) headers.cookie = `hookflow_session=${o.cookie}`;
  const res = await fetch(`${url}${path}`, { method, headers, body: o.body === undefined ? undefined : JSON.stringify(o.body) });
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined; // not JSON (an HTML page): callers read `text`
  }
  return { status: res.status, body, text, headers: res.headers, session: parseSetCookies(res.headers).find((c) => c.name === 'hookflow_session') };
}

/** What a browser adds to a same-origin fetch. */
export const sameOrigin = (t: TestApp): Record<string, string> => ({ origin: t.url, 'sec-fetch-site': 'same-origin' });

/** Logs in (as a same-origin browser would) and returns the session cookie's value. */
export async function login(t: TestApp, creds = OWNER, extra: CallOptions = {}): Promise<string> {
  const r = await call(t, 'POST', '/api/auth/login', { ...extra, body: creds, headers: { ...sameOrigin(t), ...extra.headers } });
  if (r.status !== 200 || !r.session) throw new Error(`login failed: ${r.status} ${r.text}`);
  return r.session.value;
}

/** A flow document the API accepts, for write requests. */
export const tinyFlow = {
  name: 'Tiny',
  nodes: [{ id: 'hook', type: 'webhook', params: {} }],
  edges: [],
};

/**
 * Start options with a cheaper scrypt cost, for tests that log in many times (the machine is shared). Tests
 * of hashing itself and of login timing keep the production default.
 */
export const FAST_HASH = { passwordCost: { logN: 12, r: 8, p: 1 } };

/** Runs `fn` against a fresh instance with the head-less owner (and `env`), then closes it. */
export async function withOwnerApp(env: Record<string, string>, fn: (t: TestApp) => Promise<void>): Promise<void> {
  const t = await startTestApp({ ...OWNER_ENV, ...env }, undefined, FAST_HASH);
  try {
    await fn(t);
  } finally {
    await t.close();
  }
}
