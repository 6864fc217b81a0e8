/** The session cookie: reading it from a Cookie header, and the Set-Cookie values that set and clear it. */

/** The cookie's name. Fixed: the editor and tests rely on it. */
export const SESSION_COOKIE = 'hookflow_session';

/** The value of cookie `name` in a Cookie header, or undefined. The first occurrence wins, as in browsers' order. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    const raw = part.slice(eq + 1).trim();
    return raw.startsWith('"') && raw.endsWith('"') && raw.length >= 2 ? raw.slice(1, -1) : raw;
  }
  return undefined;
}

/** HttpOnly, SameSite=Lax, Path=/, no Domain (host-only); Secure when the console is served over https. */
export function sessionCookie(value: string, opts: { secure: boolean; maxAgeSec: number }): string {
  const attrs = [`${SESSION_COOKIE}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Lax', `Max-Age=${opts.maxAgeSec}`];
  if (opts.secure) attrs.push('Secure');
  return attrs.join('; ');
}

/** Tells the browser to drop the session cookie. */
export const clearedSessionCookie = (opts: { secure: boolean }): string => sessionCookie('', { ...opts, maxAgeSec: 0 });
