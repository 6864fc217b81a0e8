/** Strict checks of outgoing mail headers before nodemailer sees them: plain addresses only, no line breaks, hard caps (THREATS E-1…E-4, E-8). */

/** An address nodemailer can take as is, without parsing a string again. */
export interface MailAddress {
  name: string;
  address: string;
}

/** A refused header field; `field` is the param name (`to`, `subject`, …). */
export class MailFieldError extends Error {
  constructor(readonly field: string, readonly reason: string) {
    super(`${field} ${reason}`);
    this.name = 'MailFieldError';
  }
}

export const MAIL_LIMITS = {
  /** `from`, `replyTo`: checked before any parsing. */
  singleFieldChars: 1000,
  /** `to`, `cc`, `bcc`: the string, or the items of the array together. */
  listFieldChars: 10_000,
  /** RFC 5322's line limit. */
  subjectChars: 998,
  /** `to` + `cc` + `bcc` together. */
  recipients: 50,
  nameChars: 200,
  localChars: 64,
  domainChars: 253,
} as const;

/** C0 controls except TAB, and DEL: CR, LF and NUL among them. Refused, never stripped. */
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;
/** Percent-encoded CR, LF or NUL in an address field (CVE-2021-23400 shape). */
const ENCODED_CONTROL = /%0[0ad]/i;
/** dot-atom local part without quoting and without `%` (source-routing hacks). */
const LOCAL = /^[A-Za-z0-9!#$&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$&'*+/=?^_`{|}~-]+)*$/;
const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
/** A display name without quotes, comments, groups, brackets or separators. */
const NAME = /^[^"(),:;<>@[\\\]]*$/;
const FORM = 'expected local@domain or Name <local@domain>';

/** Refuses a header value that is not a string, is too long, or holds a line break or other control character. */
export function checkHeaderText(field: string, value: unknown, maxChars: number, isAddressField = false): string {
  if (typeof value !== 'string') throw new MailFieldError(field, 'must be a string');
  if (value.length > maxChars) throw new MailFieldError(field, `is ${value.length} characters long; at most ${maxChars} are allowed`);
  if (CONTROL.test(value)) throw new MailFieldError(field, 'contains a line break or control character (CR, LF, NUL …); it is refused, not stripped');
  if (isAddressField && ENCODED_CONTROL.test(value)) throw new MailFieldError(field, 'contains a percent-encoded line break or NUL (%0d, %0a, %00)');
  return value;
}

const preview = (s: string): string => JSON.stringify(s.length > 80 ? `${s.slice(0, 80)}…` : s);

function checkDomain(field: string, domain: string, entry: string): void {
  const labels = domain.split('.');
  const ok = domain.length <= MAIL_LIMITS.domainChars && labels.length >= 2 && labels.every((l) => LABEL.test(l))
    && /[A-Za-z]/.test(labels[labels.length - 1]);
  if (!ok) throw new MailFieldError(field, `has an invalid domain in ${preview(entry)} (ASCII host names like example.com only)`);
}

/** One entry: `local@domain` or `Name <local@domain>`. */
export function parseAddress(field: string, raw: string): MailAddress {
  const entry = raw.trim();
  if (entry === '') throw new MailFieldError(field, 'holds an empty address');
  if (entry.includes('"')) throw new MailFieldError(field, `uses quoting in ${preview(entry)}; quoted names and local parts are not supported`);
  if (/[:;]/.test(entry)) throw new MailFieldError(field, `looks like an address group in ${preview(entry)}; groups are not supported`);
  let name = '';
  let spec = entry;
  if (entry.includes('<') || entry.includes('>')) {
    const m = /^([^<>]*)<([^<>]*)>$/.exec(entry);
    if (!m) throw new MailFieldError(field, `is not a plain address: ${preview(entry)} (${FORM})`);
    name = m[1].trim();
    spec = m[2];
    if (name.length > MAIL_LIMITS.nameChars || !NAME.test(name))
      throw new MailFieldError(field, `has a display name with characters that are not allowed in ${preview(entry)}`);
  }
  const at = spec.split('@');
  if (at.length !== 2) throw new MailFieldError(field, `is not a plain address: ${preview(entry)} (${FORM})`);
  const [local, domain] = at;
  if (local.length > MAIL_LIMITS.localChars || !LOCAL.test(local))
    throw new MailFieldError(field, `has an invalid local part in ${preview(entry)} (letters, digits and !#$&'*+/=?^_\`{|}~.- only)`);
  checkDomain(field, domain, entry);
  return { name, address: spec };
}

/** A field that must hold exactly one address (`from`, `replyTo`). */
export function parseSingleAddress(field: string, value: unknown): MailAddress {
  const text = checkHeaderText(field, value, MAIL_LIMITS.singleFieldChars, true);
  if (text.includes(',')) throw new MailFieldError(field, 'must hold exactly one address');
  return parseAddress(field, text);
}

/** A recipient field: a comma-separated string, or an array of such strings. Length and count are capped before parsing. */
export function parseAddressList(field: string, value: unknown): MailAddress[] {
  const parts = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(parts)) throw new MailFieldError(field, 'must be a string or an array of strings');
  if (parts.length > MAIL_LIMITS.recipients) throw new MailFieldError(field, `lists ${parts.length} entries; at most ${MAIL_LIMITS.recipients} recipients are allowed`);
  let total = 0;
  const entries: string[] = [];
  for (const p of parts) {
    total += typeof p === 'string' ? p.length : 0;
    if (total > MAIL_LIMITS.listFieldChars) throw new MailFieldError(field, `is longer than ${MAIL_LIMITS.listFieldChars} characters`);
    entries.push(...checkHeaderText(field, p, MAIL_LIMITS.listFieldChars, true).split(','));
  }
  if (entries.length > MAIL_LIMITS.recipients) throw new MailFieldError(field, `lists ${entries.length} addresses; at most ${MAIL_LIMITS.recipients} recipients are allowed`);
  return entries.map((e) => parseAddress(field, e));
}
