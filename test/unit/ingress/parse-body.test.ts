/** parseBody: one parser per declared media type, accept-list matching, charsets, empty bodies. */
import { describe, expect, it } from 'vitest';
import { IngressError } from '../../../server/ingress/ingress-error.js';
import { DEFAULT_ACCEPT, parseBody } from '../../../server/ingress/parse-body.js';

const utf8 = (s: string): Buffer => Buffer.from(s, 'utf8');
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const BINARY = ['application/octet-stream', 'image/*'];

/** The IngressError parseBody throws, or fails the test. */
function rejection(run: () => unknown): IngressError {
  try {
    run();
  } catch (err) {
    if (err instanceof IngressError) return err;
    throw err;
  }
  throw new Error('expected parseBody to throw');
}

describe('parseBody by declared type', () => {
  const cases: Array<{ name: string; raw: Buffer; type: string | undefined; accept?: readonly string[]; body: unknown; mediaType: string }> = [
    { name: 'application/json', raw: utf8('{"order":42,"items":[{"sku":"A"}]}'), type: 'application/json', body: { order: 42, items: [{ sku: 'A' }] }, mediaType: 'application/json' },
    { name: 'JSON with charset=utf-8', raw: utf8('{"a":"é"}'), type: 'application/json; charset=utf-8', body: { a: 'é' }, mediaType: 'application/json' },
    { name: 'case-insensitive type and quoted charset', raw: utf8('[1]'), type: 'Application/JSON ; Charset="UTF-8"', body: [1], mediaType: 'application/json' },
    { name: 'application/vnd.api+json (via application/*+json)', raw: utf8('{"data":{"type":"orders"}}'), type: 'application/vnd.api+json', body: { data: { type: 'orders' } }, mediaType: 'application/vnd.api+json' },
    { name: 'application/problem+json', raw: utf8('{"title":"x"}'), type: 'application/problem+json', body: { title: 'x' }, mediaType: 'application/problem+json' },
    { name: 'a top-level JSON scalar', raw: utf8(' 42 '), type: 'application/json', body: 42, mediaType: 'application/json' },
    { name: 'JSON after a UTF-8 BOM', raw: Buffer.concat([BOM, utf8('{"a":1}')]), type: 'application/json', body: { a: 1 }, mediaType: 'application/json' },
    { name: 'JSON with charset=us-ascii', raw: utf8('{"a":1}'), type: 'application/json;charset=us-ascii', body: { a: 1 }, mediaType: 'application/json' },
    { name: 'text/plain', raw: utf8('hello wörld'), type: 'text/plain', body: 'hello wörld', mediaType: 'text/plain' },
    { name: 'text/plain after a BOM', raw: Buffer.concat([BOM, utf8('hi')]), type: 'text/plain; charset=utf-8', body: 'hi', mediaType: 'text/plain' },
    { name: 'text/csv (default accepts text/*)', raw: utf8('a,b\n1,2\n'), type: 'text/csv', body: 'a,b\n1,2\n', mediaType: 'text/csv' },
    { name: 'text/plain; charset=iso-8859-1 decoded as Latin-1', raw: Buffer.from([0x63, 0x61, 0x66, 0xe9]), type: 'text/plain; charset=ISO-8859-1', body: 'café', mediaType: 'text/plain' },
    { name: 'application/xml as text when accepted', raw: utf8('<a>1</a>'), type: 'application/xml', accept: ['application/xml'], body: '<a>1</a>', mediaType: 'application/xml' },
    { name: 'application/atom+xml as text when accepted', raw: utf8('<feed/>'), type: 'application/atom+xml', accept: ['application/*+xml'], body: '<feed/>', mediaType: 'application/atom+xml' },
    { name: 'application/octet-stream as base64', raw: Buffer.from([0, 1, 2, 255]), type: 'application/octet-stream', accept: BINARY, body: { base64: 'AAEC/w==' }, mediaType: 'application/octet-stream' },
    { name: 'image/png through image/*', raw: Buffer.from([0x89, 0x50]), type: 'image/png', accept: BINARY, body: { base64: 'iVA=' }, mediaType: 'image/png' },
    { name: 'a missing Content-Type as octet-stream', raw: utf8('{"a":1}'), type: undefined, accept: BINARY, body: { base64: 'eyJhIjoxfQ==' }, mediaType: 'application/octet-stream' },
    { name: 'an empty Content-Type as octet-stream', raw: utf8('x'), type: '  ', accept: BINARY, body: { base64: 'eA==' }, mediaType: 'application/octet-stream' },
    { name: 'multipart through */* as base64, not parsed', raw: utf8('--b\r\n\r\nx\r\n--b--'), type: 'multipart/form-data; boundary=b', accept: ['*/*'], body: { base64: 'LS1iDQoNCngNCi0tYi0t' }, mediaType: 'multipart/form-data' },
    { name: 'JSON through */* is still parsed as JSON', raw: utf8('{"a":1}'), type: 'application/json', accept: ['*/*'], body: { a: 1 }, mediaType: 'application/json' },
  ];

  it.each(cases)('$name', ({ raw, type, accept, body, mediaType }) => {
    expect(parseBody(raw, type, accept ?? DEFAULT_ACCEPT)).toEqual({ body, mediaType });
  });
});

describe('parseBody form bodies', () => {
  it('makes a flat null-prototype object; repeated keys become arrays', () => {
    const { body } = parseBody(utf8('a=1&b=two+words&a=3&c=%C3%A9&a=5&d[e]=f'), 'application/x-www-form-urlencoded', DEFAULT_ACCEPT);
    expect(Object.getPrototypeOf(body)).toBeNull();
    expect({ ...(body as object) }).toEqual({ a: ['1', '3', '5'], b: 'two words', c: 'é', 'd[e]': 'f' });
  });

  it('refuses more than maxFormFields fields with 413', () => {
    const err = rejection(() => parseBody(utf8('a=1&b=2&c=3'), 'application/x-www-form-urlencoded', DEFAULT_ACCEPT, { maxFormFields: 2 }));
    expect([err.status, err.code]).toEqual([413, 'too_many_form_fields']);
  });
});

describe('parseBody accept list', () => {
  it('uses the documented default', () => {
    expect(DEFAULT_ACCEPT).toEqual(['application/json', 'application/*+json', 'application/x-www-form-urlencoded', 'text/*']);
  });

  const refused: Array<[string, string | undefined, readonly string[]]> = [
    ['a missing Content-Type with the default list', undefined, DEFAULT_ACCEPT],
    ['application/xml with the default list', 'application/xml', DEFAULT_ACCEPT],
    ['application/octet-stream with the default list', 'application/octet-stream', DEFAULT_ACCEPT],
    ['multipart/form-data with the default list', 'multipart/form-data; boundary=x', DEFAULT_ACCEPT],
    ['text/plain when only JSON is accepted', 'text/plain', ['application/json']],
    ['application/json when only text/* is accepted', 'application/json', ['text/*']],
    ['application/json against application/*+json alone', 'application/json', ['application/*+json']],
    ['a malformed Content-Type', 'json', DEFAULT_ACCEPT],
    ['a Content-Type with spaces inside', 'application/ json', DEFAULT_ACCEPT],
    ['an empty accept list', 'application/json', []],
  ];
  it.each(refused)('answers 415 unsupported_media_type to %s', (_name, type, accept) => {
    const err = rejection(() => parseBody(utf8('{"a":1}'), type, accept));
    expect([err.status, err.code]).toEqual([415, 'unsupported_media_type']);
    expect(err.toBody().error.details).toMatchObject({ accept });
  });

  it('explains a missing Content-Type in the message', () => {
    expect(rejection(() => parseBody(utf8('x'), undefined, DEFAULT_ACCEPT)).message).toMatch(/missing Content-Type/);
  });

  it('matches accept entries case-insensitively and ignores their padding', () => {
    expect(parseBody(utf8('{"a":1}'), 'application/json', [' Application/JSON ']).body).toEqual({ a: 1 });
    expect(parseBody(utf8('x'), 'TEXT/PLAIN', ['Text/*']).body).toBe('x');
    expect(parseBody(utf8('{}'), 'application/cloudevents+json', ['*/*+json']).body).toEqual({});
  });
});

describe('parseBody empty bodies', () => {
  it.each([
    ['application/json', DEFAULT_ACCEPT],
    ['application/x-www-form-urlencoded', DEFAULT_ACCEPT],
    ['text/plain', DEFAULT_ACCEPT],
    [undefined, DEFAULT_ACCEPT],
    ['application/xml', DEFAULT_ACCEPT],
    ['application/octet-stream', BINARY],
  ] as const)('gives null for an empty body with Content-Type %s, never 400 or 415', (type, accept) => {
    const result = parseBody(Buffer.alloc(0), type, accept);
    expect(result.body).toBeNull();
  });
});

describe('parseBody charsets and encodings', () => {
  it.each([
    ['text/plain; charset=utf-16', 'text'],
    ['text/plain; charset=shift_jis', 'text'],
    ['application/json; charset=iso-8859-1', 'JSON is UTF-8 only'],
    ['application/json; charset=utf-16le', 'JSON is UTF-8 only'],
    ['application/x-www-form-urlencoded; charset=latin1', 'form is UTF-8 only'],
  ])('answers 415 unsupported_charset to %s (%s)', (type) => {
    const err = rejection(() => parseBody(utf8('{}'), type, DEFAULT_ACCEPT));
    expect([err.status, err.code]).toEqual([415, 'unsupported_charset']);
  });

  it.each(['application/json', 'text/plain', 'application/x-www-form-urlencoded'])(
    'answers 400 invalid_utf8 to bytes that are not UTF-8 under %s',
    (type) => {
      const err = rejection(() => parseBody(Buffer.from([0x22, 0xc3, 0x28, 0x22]), type, DEFAULT_ACCEPT));
      expect([err.status, err.code]).toEqual([400, 'invalid_utf8']);
    },
  );

  it('returns the media type lower-cased, without parameters', () => {
    expect(parseBody(utf8('x'), 'Text/Plain; Charset=UTF-8; format=flowed', DEFAULT_ACCEPT).mediaType).toBe('text/plain');
  });
});
