/**
 * JSON Schema (draft 2020-12) through Ajv: checking that a document's Input/Output schema is itself a valid
 * schema, and validating values against one. One Ajv instance per use, created lazily.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { linearRegExp } from './linear-regexp.js';

export interface SchemaIssue {
  /** JSON pointer into the validated value (`/permissions/read/0`). */
  readonly path: string;
  readonly keyword: string;
  readonly message: string;
  readonly params: Readonly<Record<string, unknown>>;
}

function newAjv(): Ajv2020 {
  // strict: false accepts keywords Ajv does not know (people add `examples`, `$comment`, vendor keys). Patterns
  // are matched in linear time (linear-regexp.ts): a document's schemas are applied to values its own blocks
  // produce, and a backtracking engine would let a pattern such as `^(a+)+$` hold the gateway for minutes.
  return new Ajv2020({ allErrors: true, strict: false, validateFormats: false, code: { regExp: linearRegExp } });
}

let shared: Ajv2020 | undefined;
let checker: Ajv2020 | undefined;

export function toIssues(errors: readonly ErrorObject[] | null | undefined): SchemaIssue[] {
  return (errors ?? []).map((e) => ({
    path: e.instancePath,
    keyword: e.keyword,
    message: e.message ?? e.keyword,
    params: e.params as Record<string, unknown>,
  }));
}

/** Results of `checkSchema` by the schema's JSON text: documents of one kind repeat their schemas. */
const checked = new Map<string, SchemaIssue[]>();
const CHECKED_MAX = 256;

/** Checks that `schema` is a valid JSON Schema and can be compiled. Returns problems, empty when fine. */
export function checkSchema(schema: unknown): SchemaIssue[] {
  const key = JSON.stringify(schema);
  const hit = checked.get(key);
  if (hit) return hit;
  const issues = checkSchemaUncached(schema);
  if (checked.size >= CHECKED_MAX) checked.delete(checked.keys().next().value as string);
  checked.set(key, issues);
  return issues;
}

function checkSchemaUncached(schema: unknown): SchemaIssue[] {
  if (typeof schema !== 'object' && typeof schema !== 'boolean') {
    return [{ path: '', keyword: 'type', message: 'a JSON Schema is an object or a boolean', params: {} }];
  }
  // A separate instance from `compileSchema`'s: the checked schema is compiled, then dropped from the cache, so
  // checking many documents neither grows memory nor collides on `$id`.
  checker ??= newAjv();
  if (!checker.validateSchema(schema as object)) return toIssues(checker.errors);
  try {
    checker.compile(schema as object);
    return [];
  } catch (error) {
    return [{ path: '', keyword: 'compile', message: (error as Error).message, params: {} }];
  } finally {
    checker.removeSchema(schema as object);
  }
}

/** Compiles a schema for repeated validation (throws only on a schema that `checkSchema` rejects). */
export function compileSchema(schema: object | boolean): ValidateFunction {
  shared ??= newAjv();
  return shared.compile(schema);
}

export function validateAgainst(schema: object | boolean, value: unknown): SchemaIssue[] {
  const validate = compileSchema(schema);
  return validate(value) ? [] : toIssues(validate.errors);
}
