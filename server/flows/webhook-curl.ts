/** The shell recipe of webhook docs: a bash script that signs (with openssl, from $SECRET, never the secret itself) and sends one sample request with curl. */
import { resolveScheme, type Scheme } from '../ingress/signature-presets.js';
import { DEFAULT_TOKEN_HEADER, type HmacAuth } from '../ingress/signature.js';
import { shellQuote } from './shell-quote.js';

/** The webhook's `auth` param as the docs read it. */
export type DocAuth = { kind: 'none' } | HmacAuth | { kind: 'basic' } | { kind: 'header'; header?: string };

export interface CurlInput {
  url: string;
  method: string;
  contentType: string;
  body?: string;
  auth: DocAuth;
  idempotencyHeader?: string;
}

/** `x-hub-signature-256` → `X-Hub-Signature-256`. */
export const displayHeader = (h: string): string => h.split('-').map((p) => (p === '' ? p : p[0].toUpperCase() + p.slice(1))).join('-');

const doubleEscape = (s: string): string => s.replace(/[\\"$`]/g, (c) => `\\${c}`);

/** The signed content as a double-quoted shell word over $BODY, $TS and $ID. */
function contentWord(template: string): string {
  const vars: Record<string, string> = { '{body}': '${BODY}', '{timestamp}': '${TS}', '{id}': '${ID}' };
  return `"${template.split(/(\{body\}|\{timestamp\}|\{id\})/).map((p) => vars[p] ?? doubleEscape(p)).join('')}"`;
}

function signLines(s: Scheme): string[] {
  const lines = [': "${SECRET:?set SECRET to the signing secret of the webhook credential}"'];
  if (s.template.includes('{timestamp}') || s.timestampHeader !== undefined) lines.push('TS=$(date +%s)');
  let key = '-hmac "$SECRET"';
  if (s.secretFormat === 'whsec') {
    lines.push(`KEY_HEX=$(printf '%s' "\${SECRET#whsec_}" | openssl base64 -d -A | od -An -v -tx1 | tr -d ' \\n')`);
    key = '-mac HMAC -macopt "hexkey:$KEY_HEX"';
  }
  const encode = s.encoding === 'hex' ? "od -An -v -tx1 | tr -d ' \\n'" : 'openssl base64 -A';
  lines.push(`SIG=$(printf '%s' ${contentWord(s.template)} | openssl dgst -${s.algorithm} ${key} -binary | ${encode})`);
  return lines;
}

function signHeaders(s: Scheme): string[] {
  if (s.layout === 'stripe') return [`${displayHeader(s.header)}: t=$TS,v1=$SIG`];
  if (s.layout === 'standard-webhooks') return ['Webhook-Id: $ID', 'Webhook-Timestamp: $TS', 'Webhook-Signature: v1,$SIG'];
  const out = [`${displayHeader(s.header)}: ${doubleEscape(s.prefix)}$SIG`];
  if (s.timestampHeader !== undefined) out.push(`${displayHeader(s.timestampHeader)}: $TS`);
  return out;
}

interface Parts { setup: string[]; headers: string[]; curlArgs: string[]; needsId: boolean }

function authParts(auth: DocAuth): Parts {
  const p: Parts = { setup: [], headers: [], curlArgs: [], needsId: false };
  if (auth.kind === 'basic') {
    p.setup.push(': "${USERNAME:?set USERNAME}" "${PASSWORD:?set PASSWORD (from the basic credential)}"');
    p.curlArgs.push('-u "$USERNAME:$PASSWORD"');
  } else if (auth.kind === 'header') {
    p.setup.push(': "${TOKEN:?set TOKEN to the static token of the header credential}"');
    p.headers.push(`${displayHeader(auth.header ?? DEFAULT_TOKEN_HEADER)}: $TOKEN`);
  } else if (auth.kind === 'hmac') {
    const scheme = resolveScheme(auth);
    if (typeof scheme === 'string') throw new TypeError(scheme);
    p.needsId = scheme.idHeader !== undefined;
    if (scheme.aliases !== undefined) {
      const alias = [scheme.aliases.idHeader, scheme.aliases.timestampHeader, scheme.aliases.header].filter((h) => h !== undefined).map((h) => displayHeader(h));
      p.setup.push(`# Senders may use these header names or Svix's: ${alias.join(', ')} (same values; one naming per request, never mixed).`);
    }
    p.setup.push(...signLines(scheme));
    p.headers.push(...signHeaders(scheme));
  }
  return p;
}

/** A bash script: placeholders for secrets, the signing commands, and the curl call. Throws TypeError on an unusable hmac config. */
export function curlExample(c: CurlInput): string {
  const p = authParts(c.auth);
  const idem = c.idempotencyHeader?.toLowerCase();
  const idemHeader = idem !== undefined && !(p.needsId && idem === 'webhook-id') ? `${displayHeader(idem)}: $ID` : undefined;
  const lines = ['#!/usr/bin/env bash', 'set -euo pipefail'];
  if (c.body !== undefined) lines.push(`BODY=${shellQuote(c.body)}`);
  else lines.push("BODY=''");
  if (p.needsId || idemHeader !== undefined) lines.push('ID="msg_$(date +%s)_$RANDOM"');
  lines.push(...p.setup);
  const args = [`curl -sS -X ${c.method} ${shellQuote(c.url)}`];
  if (c.body !== undefined) args.push(`-H ${shellQuote(`Content-Type: ${c.contentType}`)}`);
  for (const h of [...p.headers, ...(idemHeader ? [idemHeader] : [])]) args.push(`-H "${h}"`);
  args.push(...p.curlArgs);
  if (c.body !== undefined) args.push('--data-raw "$BODY"');
  lines.push(args.join(' \\\n  '));
  return lines.join('\n') + '\n';
}
