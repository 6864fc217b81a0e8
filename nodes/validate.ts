/** The `validate` node: JSON Schema (draft 2020-12) on a path of the input; outcomes on ports `valid` / `invalid`. */
import { Type } from '@sinclair/typebox';
import { defineNode, permanent, type NodeType, NO_RETRY } from './contract.js';
import { createSchemaCompiler, InvalidSchemaError, type SchemaCompiler, type SchemaResult } from './json-schema.js';
import { getPath, parsePath, PathSyntaxError } from './paths.js';

export const ValidateParams = Type.Object(
  {
    /** Where the value to check lives in the input; `""` is the whole input. @default 'body' */
    path: Type.Optional(Type.String({ default: 'body', maxLength: 1000, title: 'Path to check', description: 'Path in the input ("" = whole input)' })),
    /** A JSON Schema (draft 2020-12). Never template-rendered. */
    schema: Type.Object({}, { additionalProperties: true, title: 'Schema', description: 'JSON Schema (draft 2020-12)' }),
  },
  { additionalProperties: false },
);

export type ValidatePort = 'valid' | 'invalid';

export interface ValidateNodeDeps {
  /** Shared with the flow-saving code so save-time checks and run-time validation use one cache. */
  schemas: SchemaCompiler;
}

/**
 * Builds the `validate` node type around a schema compiler. The registry calls this once, with the
 * compiler the composition root built; the default builds a private compiler (tests, tools).
 */
export function validateNode(deps: ValidateNodeDeps = { schemas: createSchemaCompiler() }): NodeType<typeof ValidateParams, ValidatePort> {
  const { schemas } = deps;
  return defineNode({
    type: 'validate',
    title: 'Validate',
    category: 'logic',
    description: 'Checks a part of the input against a JSON Schema and routes it to valid or invalid.',
    params: ValidateParams,
    defaults: { schema: { type: 'object' } },
    rawParams: ['schema'],
    ports: ['valid', 'invalid'] as const,
    retry: NO_RETRY,
    timeoutMs: 5000,
    effect: 'pure',

    check(params) {
      const problems = schemas.check(params.schema, 'schema');
      try {
        parsePath(params.path ?? 'body');
      } catch (e) {
        if (!(e instanceof PathSyntaxError)) throw e;
        problems.unshift({ field: 'path', message: e.message });
      }
      return problems;
    },

    async execute(_ctx, input, params) {
      let result: SchemaResult;
      try {
        result = schemas.compile(params.schema)(getPath(input, params.path ?? 'body'));
      } catch (e) {
        // both are configuration faults a retry cannot fix; `check` reports them at save time
        if (e instanceof InvalidSchemaError) throw permanent('invalid_schema', e.message, e.problems);
        if (e instanceof PathSyntaxError) throw permanent('invalid_params', `path: ${e.message}`);
        throw e;
      }
      if (result.ok) return { port: 'valid', value: input };
      const { errors } = result;
      const first = errors[0];
      const message = first ? `validation failed: ${first.path || '(root)'} ${first.message}` : 'validation failed';
      return {
        port: 'invalid',
        value: { errors, input },
        responseIfUnhandled: {
          status: 400,
          headers: { 'content-type': 'application/json' },
          body: { error: { code: 'validation_failed', message, details: errors } },
        },
      };
    },
  });
}
