/**
 * Resume URLs of `wait` steps: `/hooks/resume/<executionId>.<nodeId>.<mac>`, the mac an HMAC-SHA256 (key derived
 * from the master key) over the execution and node ids. Unguessable (256-bit mac), stable across restarts and known
 * before the step runs, so an earlier node of the same execution can send it out; nothing is stored to issue one.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const RESUME_PREFIX = '/hooks/resume/';
/** `<execution>.<step>.<mac>`; the step is a node id, or `<node>@<item>` for a wait inside a split loop. */
const TOKEN = /^([A-Za-z0-9_-]{4,80})\.([A-Za-z][A-Za-z0-9_-]{0,63}(?:@\d{1,9})?)\.([A-Za-z0-9_-]{43})$/;

export interface ResumeTokens {
  token(executionId: string, nodeId: string): string;
  /** The ids a token names, or undefined when it is malformed or its mac is wrong. */
  verify(token: string): { executionId: string; nodeId: string } | undefined;
}

export function createResumeTokens(key: Buffer): ResumeTokens {
  const mac = (executionId: string, nodeId: string): Buffer => createHmac('sha256', key).update(`${executionId}\n${nodeId}`).digest();
  return {
    token: (executionId, nodeId) => `${executionId}.${nodeId}.${mac(executionId, nodeId).toString('base64url')}`,
    verify(token) {
      const m = TOKEN.exec(token);
      if (!m) return undefined;
      const given = Buffer.from(m[3], 'base64url');
      const want = mac(m[1], m[2]);
      return given.length === want.length && timingSafeEqual(given, want) ? { executionId: m[1], nodeId: m[2] } : undefined;
    },
  };
}
