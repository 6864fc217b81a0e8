/** Pure input rules for owner accounts (email shape, password length, token names); shared by the API and config. */

/** @default 12 */
export const PASSWORD_MIN = 12;
/** Bounded so a huge password cannot make hashing expensive. @default 200 */
export const PASSWORD_MAX = 200;
const EMAIL_MAX = 254;
const NAME_MAX = 100;
const CONTROL = /[\u0000-\u001f\u007f]/;
const EMAIL = /^[^\s@"<>(),;:\\]+@[^\s@"<>(),;:\\]+\.[^\s@"<>(),;:\\.]+$/;

/** The form a password is hashed and compared in, so visually identical inputs match (NIST SP 800-63B). */
export const normalizePassword = (pw: string): string => pw.normalize('NFKC');

/** Emails are compared case-insensitively and stored trimmed and lower-cased. */
export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

/** Returns why `value` is not an acceptable email, or undefined when it is. */
export function emailProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'must be a string';
  const e = normalizeEmail(value);
  if (e.length === 0) return 'is required';
  if (e.length > EMAIL_MAX) return `must be at most ${EMAIL_MAX} characters`;
  if (CONTROL.test(e) || !EMAIL.test(e)) return 'must be an email address like owner@example.com';
  return undefined;
}

/** Returns why `value` is not an acceptable new password, or undefined when it is. Length counts code points. */
export function passwordProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'must be a string';
  const n = [...normalizePassword(value)].length;
  if (n < PASSWORD_MIN) return `must be at least ${PASSWORD_MIN} characters`;
  if (n > PASSWORD_MAX) return `must be at most ${PASSWORD_MAX} characters`;
  return undefined;
}

/** Returns why `value` is not an acceptable API-token name, or undefined when it is. */
export function tokenNameProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'must be a string';
  const n = value.trim();
  if (n.length === 0) return 'is required';
  if (n.length > NAME_MAX) return `must be at most ${NAME_MAX} characters`;
  if (CONTROL.test(n)) return 'must not contain control characters';
  return undefined;
}
