/**
 * JSON Schema (draft 2020-12) through Ajv: checking that a document's Input/Output schema is itself a valid
 * schema, and validating values against one (optionally filling in `default`s). Every schema the gateway applies
 * goes through here, so every one matches patterns in linear time. One Ajv instance per use, created lazily; a
 * document's schema is removed from its instance after use, so a long-running gateway does not keep every
 * schema it has seen, and two documents may use the same `$id`.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { linearRegExp } from './linear-regexp.js';
import * as generated from './generated/schema-validators.js';

type GeneratedValidator = ((value: unknown) => boolean) & { errors?: ErrorObject[] | null };

/**
 * Validators generated ahead of time (scripts/write-schema-validators.mjs, `npm run schema`) for the two schemas
 * every `maml validate` applies: the draft 2020-12 meta-schema and the front matter schema. Compiling them was
 * most of the command's own time. Their patterns are fixed ones without nested quantifiers.
 */
const validateMetaSchema = generated.validateMetaSchema as unknown as GeneratedValidator;
const validateFrontMatter = generated.validateFrontMatter as unknown as GeneratedValidator;

/** Validates parsed front matter against FRONT_MATTER_SCHEMA (its generated validator). */
export function validateFrontMatterShape(value: unknown): SchemaIssue[] {
  if (nestsDeeperThan(value, MAX_VALUE_DEPTH)) {
    const message = `is nested deeper than ${MAX_VALUE_DEPTH} levels, too deep to check against a schema`;
    return [{ path: '', keyword: 'depth', message, params: {} }];
  }
  return validateFrontMatter(value) ? [] : toIssues(validateFrontMatter.errors);
}

export interface SchemaIssue {
  /** JSON pointer into the validated value (`/permissions/read/0`). */
  readonly path: string;
  readonly keyword: string;
  readonly message: string;
  readonly params: Readonly<Record<string, unknown>>;
}

function newAjv(useDefaults = false): Ajv2020 {
  // strict: false accepts keywords Ajv does not know (people add `examples`, `$comment`, vendor keys). Patterns
  // are matched in linear time (linear-regexp.ts): a document's schemas are applied to values its own blocks
  // produce, and a backtracking engine would let a pattern such as `^(a+)+$` hold the gateway for minutes.
  // validateSchema: false: a document's schema is checked against the meta-schema by `checkSchema` (with the
  // generated validator) before it is used, and the gateway's own schemas are fixed; compiling never needs the
  // meta-schema compiled.
  return new Ajv2020({
    allErrors: true,
    strict: false,
    validateFormats: false,
    validateSchema: false,
    useDefaults,
    code: { regExp: linearRegExp },
  });
}

// Two instances, not three: checking a schema and validating against one share an instance, so the draft 2020-12
// meta-schema (the largest compile of a `maml validate`) is compiled once per process. Every schema is removed
// from its instance after use, so sharing leaves nothing behind.
let shared: Ajv2020 | undefined;
let withDefaults: Ajv2020 | undefined;

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
/** Schemas whose JSON text is longer are checked every time: 256 keys of megabytes each would stay in memory. */
const CACHED_KEY_MAX = 64 * 1024;

/**
 * Deepest nesting of objects and arrays accepted in a schema. Ajv checks and compiles a schema by recursion, so a
 * schema thousands of levels deep ran out of stack inside it; 128 JSON levels are 64 levels of subschemas.
 */
export const MAX_SCHEMA_DEPTH = 128;
/** Deepest nesting of a value validated against a schema (a recursive `$ref` validates one level per call). */
export const MAX_VALUE_DEPTH = 1000;

/** Whether objects and arrays in `value` nest deeper than `limit`, found without recursion. */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  for (;;) {
    const top = stack.pop();
    if (top === undefined) return false;
    const [v, depth] = top;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= limit) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
}

/** Checks that `schema` is a valid JSON Schema and can be compiled. Returns problems, empty when fine. */
export function checkSchema(schema: unknown): SchemaIssue[] {
  if (nestsDeeperThan(schema, MAX_SCHEMA_DEPTH)) {
    const message = `is nested deeper than ${MAX_SCHEMA_DEPTH} levels; flatten it (name parts in $defs and refer to them with $ref)`;
    return [{ path: '', keyword: 'depth', message, params: {} }];
  }
  const key = JSON.stringify(schema);
  const hit = checked.get(key);
  if (hit) return hit;
  const issues = checkSchemaUncached(schema);
  if (key.length > CACHED_KEY_MAX) return issues;
  if (checked.size >= CHECKED_MAX) checked.delete(checked.keys().next().value as string);
  checked.set(key, issues);
  return issues;
}

function checkSchemaUncached(schema: unknown): SchemaIssue[] {
  if (typeof schema !== 'object' && typeof schema !== 'boolean') {
    return [{ path: '', keyword: 'type', message: 'a JSON Schema is an object or a boolean', params: {} }];
  }
  // The checked schema is compiled, then dropped from the instance, so checking many documents neither grows
  // memory nor collides on `$id`.
  const checker = (shared ??= newAjv());
  if (!validateMetaSchema(schema)) return toIssues(validateMetaSchema.errors);
  try {
    checker.compile(schema as object);
    return [];
  } catch (error) {
    return [{ path: '', keyword: 'compile', message: (error as Error).message, params: {} }];
  } finally {
    if (typeof schema === 'object') checker.removeSchema(schema as object);
  }
}

/**
 * Compiles a schema and validates `value` against it, then drops the schema from the Ajv instance (compiling
 * costs about a millisecond; keeping every document's schema would grow without bound). With `fillDefaults`,
 * `default`s are written into `value`. Throws only on a schema that `checkSchema` rejects.
 */
function validateOnce(schema: object | boolean, value: unknown, fillDefaults: boolean): SchemaIssue[] {
  if (nestsDeeperThan(value, MAX_VALUE_DEPTH)) {
    const message = `is nested deeper than ${MAX_VALUE_DEPTH} levels, too deep to check against a schema`;
    return [{ path: '', keyword: 'depth', message, params: {} }];
  }
  const ajv = fillDefaults ? (withDefaults ??= newAjv(true)) : (shared ??= newAjv());
  let validate: ValidateFunction;
  try {
    validate = ajv.compile(schema);
    return validate(value) ? [] : toIssues(validate.errors);
  } finally {
    if (typeof schema === 'object') ajv.removeSchema(schema);
  }
}

export function validateAgainst(schema: object | boolean, value: unknown): SchemaIssue[] {
  return validateOnce(schema, value, false);
}

/** Validates `value` against `schema`, first writing the schema's `default`s into it (workflow inputs). */
export function validateWithDefaults(schema: object | boolean, value: unknown): SchemaIssue[] {
  return validateOnce(schema, value, true);
}
