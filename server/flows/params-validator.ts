/** Validates node params against their node type's JSON Schema: at save time (templates allowed) and at run time (strict). */
import { Ajv, type ValidateFunction, type ErrorObject } from 'ajv';
import formatsPlugin from 'ajv-formats';
import type { TSchema } from '@sinclair/typebox';
import { strictSchema } from '../../nodes/schema.js';

// ajv-formats is CommonJS; under NodeNext its callable is `.default` (module.exports.default === module.exports).
const addFormats = formatsPlugin.default;

export interface FieldProblem {
  field: string;
  message: string;
}

export interface ParamsValidator {
  /** Save time: templated strings accepted where a template may stand. */
  checkSaved(schema: TSchema, params: unknown): FieldProblem[];
  /** Run time, after rendering: the strict schema. */
  checkRendered(schema: TSchema, params: unknown): FieldProblem[];
}

export function createParamsValidator(): ParamsValidator {
  const ajv = new Ajv({ allErrors: false, verbose: true, strict: false, useDefaults: false, validateFormats: true });
  addFormats(ajv);
  const saved = new WeakMap<object, ValidateFunction>();
  const strict = new WeakMap<object, ValidateFunction>();
  const compile = (cache: WeakMap<object, ValidateFunction>, schema: TSchema, toStrict: boolean): ValidateFunction => {
    let fn = cache.get(schema);
    if (!fn) cache.set(schema, (fn = ajv.compile(toStrict ? (strictSchema(schema) as object) : schema)));
    return fn;
  };
  const run = (fn: ValidateFunction, params: unknown): FieldProblem[] => (fn(params) ? [] : summarise(fn.errors ?? []));
  return {
    checkSaved: (schema, params) => run(compile(saved, schema, false), params),
    checkRendered: (schema, params) => run(compile(strict, schema, true), params),
  };
}

/** One problem per field: ajv reports each failed union branch and then the union itself; keep the summary. */
function summarise(errors: readonly ErrorObject[]): FieldProblem[] {
  const byField = new Map<string, FieldProblem>();
  for (const e of errors) byField.set(fieldOf(e), toProblem(e));
  return [...byField.values()];
}

/** `/retry/maxAttempts` + `additionalProperty: foo` → `retry.maxAttempts` / `foo`. */
function fieldOf(e: ErrorObject): string {
  const base = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const extra =
    e.keyword === 'additionalProperties' ? String((e.params as { additionalProperty: string }).additionalProperty)
    : e.keyword === 'required' ? String((e.params as { missingProperty: string }).missingProperty)
    : '';
  return [base, extra].filter(Boolean).join('.') || '(params)';
}

function toProblem(e: ErrorObject): FieldProblem {
  const field = fieldOf(e);
  if (e.keyword === 'additionalProperties') return { field, message: 'is not a known parameter' };
  if (e.keyword === 'required') return { field, message: 'is required' };
  if (e.keyword === 'anyOf') return { field, message: unionMessage(e.parentSchema) };
  return { field, message: e.message ?? 'is invalid' };
}

function unionMessage(schema: unknown): string {
  const s = (schema ?? {}) as { anyOf?: Array<{ const?: unknown }>; 'x-templatable'?: boolean };
  const branches = s.anyOf ?? [];
  if (branches.length > 0 && branches.every((b) => b.const !== undefined))
    return `must be one of ${branches.map((b) => JSON.stringify(b.const)).join(', ')}`;
  if (s['x-templatable'] === true) return 'has the wrong type or format (a template "{{ … }}" may stand here too)';
  return 'matches none of the allowed forms';
}
