/**
 * HOOKFLOW_HOOKS_URL puts webhook URLs on an origin of their own. A request naming the hooks host reaches only
 * /hooks/* and the probes; /hooks/* asked for on the editor's host is refused. A Host that names neither (a proxy
 * that rewrites it, a direct connection) is served as before.
 */
export type Destination = 'hooks' | 'app' | 'refuse';

export interface HostSplit {
  /** Host (name:port as in the Host header) of HOOKFLOW_HOOKS_URL. */
  hooksHost?: string;
  /** Host of HOOKFLOW_PUBLIC_URL, the editor's origin. */
  appHost?: string;
}

const PROBES = new Set(['/healthz', '/readyz']);

/** Host of an http(s) URL as a browser sends it in `Host` (default ports left out). */
export const hostOf = (url: string | undefined): string | undefined => (url === undefined ? undefined : new URL(url).host.toLowerCase());

export function destination(split: HostSplit, hostHeader: string | undefined, url: string): Destination {
  const isHook = url.startsWith('/hooks/');
  if (split.hooksHost === undefined) return isHook ? 'hooks' : 'app';
  const host = hostHeader?.toLowerCase();
  if (host === split.hooksHost) return isHook ? 'hooks' : PROBES.has(url.split('?')[0]) ? 'app' : 'refuse';
  if (isHook) return host !== undefined && host === split.appHost ? 'refuse' : 'hooks';
  return 'app';
}
