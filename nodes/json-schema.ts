/** Hardened ajv (draft 2020-12) for user-written schemas: save-time safety checks and a bounded compile cache. */
import { Ajv2020, type ErrorObject, type Format, type FormatDefinition, type Options, type ValidateFunction } from 'ajv/dist/2020.js';
import formatsPlugin from 'ajv-formats';
import { formatNames } from 'ajv-formats/dist/formats.js';
import type { RegExpEngine } from 'ajv/dist/types/index.js';
import { compileRe2, compileCheck, createBoundedCache } from './safe-regex.js';

export interface SchemaProblem { field: string; message: string }
export interface SchemaValidationError { path: string; message: string }
export type SchemaResult = { ok: true } | { ok: false; errors: SchemaValidationError[] };
export type SchemaValidator = (data: unknown) => SchemaResult;

export interface SchemaCompiler {
  /** Save-time check; `[]` means the schema compiles. Fields start with `field` (default `'schema'`), e.g. `schema.properties.age.type`. */
  check(schema: unknown, field?: string): SchemaProblem[];
  /** A cached validator. @throws InvalidSchemaError when `check` would report problems. */
  compile(schema: unknown): SchemaValidator;
}

export class InvalidSchemaError extends Error {
  readonly problems: SchemaProblem[];
  constructor(problems: SchemaProblem[]) {
    super(problems.map((p) => `${p.field}: ${p.message}`).join('; '));
    this.name = 'InvalidSchemaError';
    this.problems = problems;
  }
}

export const SCHEMA_LIMITS = Object.freeze({
  /** Serialised schema size, UTF-8 bytes. */ maxBytes: 256 * 1024,
  /** Object/array nesting depth of the schema document. */ maxDepth: 64,
  /** Longest string a `format` check looks at (defence in depth behind the `maxLength` rule). */ maxFormatLength: 4096,
  /** Compiled validators kept per compiler. */ cacheSize: 256,
  /** Validation errors returned per call. */ maxErrors: 20,
});

/** ajv's `code.regExp` engine: user `pattern`/`patternProperties` run on re2js in linear time. */
const re2Engine: RegExpEngine = Object.freeze(Object.assign(
  (pattern: string, u: string) => {
    const re = compileRe2(pattern, u);
    // ajv deduplicates compiled patterns by `toString()`, so it must be unique per pattern.
    return { test: (s: string) => re.test(s), toString: () => `/${pattern}/${u}` };
  },
  { code: 'hookflowRe2' }, // only read by ajv's standalone code generation, which we do not use
));

/** The production options (asserted by a config test). */
export const AJV_OPTIONS: Readonly<Options> = Object.freeze({
  allErrors: false, // stop at the first error: bounded work per payload (V-4)
  $data: false, // no data-driven schema values (V-2)
  strict: true, // unknown keywords and formats are errors
  strictTypes: false, strictTuples: false, strictRequired: false, // legal schemas users write are not errors
  allowUnionTypes: true,
  allowMatchingProperties: true, // else ajv tests patternProperties against property names with native RegExp
  ownProperties: true, // never read inherited members such as `__proto__` of the payload (W-15)
  useDefaults: false, coerceTypes: false, removeAdditional: false, // validation never mutates the payload
  addUsedSchema: true, // needed to resolve `$ref: "#"`; compileIsolated() drops each registration afterwards
  validateFormats: true,
  logger: false,
  code: Object.freeze({ regExp: re2Engine }),
});

type ObjectFormat = Exclude<Format, string | true | RegExp | ((s: string) => boolean)>;
const isStringDefinition = (d: ObjectFormat): d is FormatDefinition<string> => d.type !== 'number' && d.async !== true;

/** A synchronous string test for one ajv-formats definition, or null when it is not a string format. */
function stringTest(def: Format): ((s: string) => boolean) | null {
  if (def instanceof RegExp) return (s) => def.test(s);
  if (typeof def === 'function') return (s) => def(s) === true;
  if (typeof def !== 'object' || !isStringDefinition(def)) return null;
  const v = def.validate;
  if (v instanceof RegExp) return (s) => v.test(s);
  return typeof v === 'function' ? (s) => v(s) === true : null;
}

/** ajv-formats' full formats; string formats refuse strings over `maxFormatLength` before their regex runs. */
function cappedFormats(): Map<string, Format> {
  const out = new Map<string, Format>();
  for (const name of formatNames) {
    const def = formatsPlugin.default.get(name, 'full');
    const test = stringTest(def);
    out.set(name, test === null ? def : { type: 'string', validate: (s: string) => s.length <= SCHEMA_LIMITS.maxFormatLength && test(s) });
  }
  return out;
}
const FORMATS: ReadonlyMap<string, Format> = cappedFormats();
/** Formats that need `maxLength` beside them (password/binary accept anything; number formats take numbers). */
const STRING_FORMATS: ReadonlySet<string> = new Set(
  [...FORMATS].filter(([, f]) => typeof f === 'object' && !(f instanceof RegExp) && f.type === 'string').map(([n]) => n),
);

const SCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];
const SCHEMA_ONE = ['additionalProperties', 'propertyNames', 'contains', 'not', 'if', 'then', 'else', 'items',
  'unevaluatedItems', 'unevaluatedProperties', 'additionalItems', 'contentSchema'];
const SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems', 'items'];
const DATA_KEYWORDS: ReadonlySet<string> = new Set(['const', 'enum', 'default', 'examples', ...SCHEMA_MAPS]);

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Iterative size/depth bound, run before anything recursive (JSON.stringify, ajv) sees the schema (V-3). */
function measure(schema: unknown): string | null {
  const stack: Array<[unknown, number]> = [[schema, 1]];
  let bytes = 0;
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (typeof v === 'string') bytes += v.length + 2;
    else if (v === null || typeof v !== 'object') bytes += 8;
    else {
      if (depth > SCHEMA_LIMITS.maxDepth) return `schema is nested deeper than ${SCHEMA_LIMITS.maxDepth} levels`;
      bytes += 2;
      for (const k in v) {
        if (!Object.hasOwn(v, k)) continue;
        bytes += k.length + 4;
        if (bytes > SCHEMA_LIMITS.maxBytes) break;
        stack.push([(v as Record<string, unknown>)[k], depth + 1]);
      }
    }
    if (bytes > SCHEMA_LIMITS.maxBytes) return `schema is larger than ${SCHEMA_LIMITS.maxBytes / 1024} KB`;
  }
  return null;
}

/** Rules ajv's meta-schema cannot express, walked through subschema positions only. */
function unsafeKeywords(schema: unknown, field: string, out: SchemaProblem[]): void {
  if (!isRecord(schema)) return;
  const at = (k: string): string => `${field}.${k}`;
  if (Object.hasOwn(schema, '$data')) out.push({ field: at('$data'), message: '$data references are not allowed' });
  if (Object.hasOwn(schema, '$async')) out.push({ field: at('$async'), message: 'async schemas are not supported' });
  for (const [k, v] of Object.entries(schema)) {
    if (!DATA_KEYWORDS.has(k) && isRecord(v) && Object.hasOwn(v, '$data')) out.push({ field: at(k), message: '$data references are not allowed' });
  }
  const { format, pattern, patternProperties } = schema;
  if (typeof format === 'string' && STRING_FORMATS.has(format) && !Object.hasOwn(schema, 'maxLength')) {
    out.push({ field: at('format'), message: `format "${format}" needs "maxLength" beside it (e.g. 254 for an email)` });
  }
  if (schema.uniqueItems === true && !Object.hasOwn(schema, 'maxItems')) {
    out.push({ field: at('uniqueItems'), message: 'uniqueItems needs "maxItems" beside it (its cost grows with the square of the length)' });
  }
  if (typeof pattern === 'string') {
    const msg = compileCheck(pattern, 'u');
    if (msg) out.push({ field: at('pattern'), message: msg });
  }
  if (isRecord(patternProperties)) {
    for (const p of Object.keys(patternProperties)) {
      const msg = compileCheck(p, 'u');
      if (msg) out.push({ field: `${at('patternProperties')}.${p}`, message: msg });
    }
  }
  for (const k of SCHEMA_MAPS) {
    const m = schema[k];
    if (isRecord(m)) for (const [name, sub] of Object.entries(m)) unsafeKeywords(sub, `${at(k)}.${name}`, out);
  }
  for (const k of SCHEMA_ONE) unsafeKeywords(schema[k], at(k), out);
  for (const k of SCHEMA_LISTS) {
    const list = schema[k];
    if (Array.isArray(list)) list.forEach((sub, i) => unsafeKeywords(sub, `${at(k)}.${i}`, out));
  }
}

/** `/properties/a~1b` → `.properties.a/b` */
const pointerToField = (ptr: string): string =>
  ptr === '' ? '' : ptr.split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')).join('.');

function describe(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  if (e.keyword === 'additionalProperties') return `${e.message} ("${String(p.additionalProperty)}")`;
  if (e.keyword === 'enum' && Array.isArray(p.allowedValues)) {
    return `must be one of ${p.allowedValues.slice(0, 10).map((v) => JSON.stringify(v)).join(', ')}`;
  }
  return e.message ?? e.keyword;
}

/** Makes `target` hold exactly the entries of `saved`. */
function restore<T>(target: Record<string, T>, saved: Record<string, T>): void {
  for (const k of Object.keys(target)) if (!Object.hasOwn(saved, k)) delete target[k];
  Object.assign(target, saved);
}

type Prepared = { problems: SchemaProblem[] } | { validator: SchemaValidator };

function wrap(fn: ValidateFunction): SchemaValidator {
  return (data) => {
    try {
      if (fn(data) === true) return { ok: true };
    } catch (e) {
      // a recursive `$ref` over very deep data can exhaust the stack; that is the payload's fault
      if (e instanceof RangeError) return { ok: false, errors: [{ path: '', message: 'data is nested too deeply to validate' }] };
      throw e;
    }
    const errors = (fn.errors ?? []).slice(0, SCHEMA_LIMITS.maxErrors).map((e) => ({ path: e.instancePath, message: describe(e) }));
    return { ok: false, errors };
  };
}

/**
 * One hardened ajv instance with its own validator cache (keyed by the schema's JSON). Build one in
 * the composition root and hand it to `validateNode` and to the flow-saving code.
 */
export function createSchemaCompiler(): SchemaCompiler {
  // Built on first use, not at start-up: compiling the meta-schema is a tenth of the server's time to ready.
  let instance: Ajv2020 | undefined;
  const ajvOf = (): Ajv2020 => {
    if (instance) return instance;
    const ajv = new Ajv2020({ ...AJV_OPTIONS });
    for (const [name, f] of FORMATS) ajv.addFormat(name, f);
    ajv.validateSchema({}); // compile the meta-schema now, so later compiles leave the registry as they found it
    return (instance = ajv);
  };
  const cache = createBoundedCache<string, Prepared>(SCHEMA_LIMITS.cacheSize);

  /** Compiles, then puts ajv's id registry back as it was, so user schemas never see (or evict) each other. */
  function compileIsolated(schema: Record<string, unknown> | boolean): ValidateFunction {
    const ajv = ajvOf();
    const refs = { ...ajv.refs };
    const schemas = { ...ajv.schemas };
    try {
      return ajv.compile(schema);
    } finally {
      if (typeof schema === 'object') ajv.removeSchema(schema); // drops our copy from ajv's cache (and, by $id, maybe more:)
      restore(ajv.refs, refs); // …so restore the registry wholesale
      restore(ajv.schemas, schemas);
    }
  }

  function metaProblems(schema: Record<string, unknown> | boolean): SchemaProblem[] {
    const ajv = ajvOf();
    try {
      if (ajv.validateSchema(schema) === true) return [];
    } catch (e) {
      return [{ field: '.$schema', message: e instanceof Error ? e.message : String(e) }];
    }
    const seen = new Set<string>();
    const out: SchemaProblem[] = [];
    for (const e of ajv.errors ?? []) {
      const f = pointerToField(e.instancePath);
      if (!seen.has(f)) out.push({ field: f, message: describe(e) });
      seen.add(f);
    }
    return out;
  }

  /** Problems carry fields relative to the schema root (`''`, `'.properties.age'`); callers add the prefix. */
  function prepare(schema: unknown): Prepared {
    if (!isRecord(schema) && typeof schema !== 'boolean') return { problems: [{ field: '', message: 'must be a JSON Schema object' }] };
    const tooBig = measure(schema);
    if (tooBig) return { problems: [{ field: '', message: tooBig }] };
    const json = JSON.stringify(schema);
    if (new TextEncoder().encode(json).byteLength > SCHEMA_LIMITS.maxBytes) {
      return { problems: [{ field: '', message: `schema is larger than ${SCHEMA_LIMITS.maxBytes / 1024} KB` }] };
    }
    const hit = cache.get(json);
    if (hit) return hit;
    const copy = JSON.parse(json) as Record<string, unknown> | boolean; // ajv keeps references: give it a private copy
    const problems: SchemaProblem[] = [];
    unsafeKeywords(copy, '', problems);
    if (problems.length === 0) problems.push(...metaProblems(copy));
    let prepared: Prepared = { problems };
    if (problems.length === 0) {
      try {
        prepared = { validator: wrap(compileIsolated(copy)) };
      } catch (e) {
        prepared = { problems: [{ field: '', message: e instanceof Error ? e.message : String(e) }] };
      }
    }
    cache.set(json, prepared);
    return prepared;
  }

  const withPrefix = (problems: SchemaProblem[], field: string): SchemaProblem[] =>
    problems.map((p) => ({ field: field + p.field, message: p.message }));

  return {
    check(schema, field = 'schema') {
      const p = prepare(schema);
      return 'problems' in p ? withPrefix(p.problems, field) : [];
    },
    compile(schema) {
      const p = prepare(schema);
      if ('problems' in p) throw new InvalidSchemaError(withPrefix(p.problems, 'schema'));
      return p.validator;
    },
  };
}
