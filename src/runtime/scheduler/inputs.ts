/**
 * Block inputs: the workflow inputs (from --input, --inputs and the `default`s of `## Input_Schema`, validated
 * against it before anything runs) plus the outputs of the block's direct upstream blocks, merged by name.
 * Upstream outputs take precedence over workflow inputs; two upstream blocks producing one name is an error.
 */
import { validateWithDefaults } from '../../format/index.js';
import type { SchemaIssue } from '../../format/index.js';
import { MamlError } from '../../shared/index.js';
import { coerceInput } from './input-coercion.js';

/**
 * `--input name=value` pairs, each value read as `## Input_Schema` types it (input-coercion.ts): the text as
 * written for a string input, JSON of the declared type otherwise; without a schema (or a type for that name), JSON
 * when it parses as JSON, else the string as written.
 */
export function parseInputPairs(pairs: readonly string[], schema?: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new MamlError('usage', `--input expects name=value, got \`${pair}\``);
    const name = pair.slice(0, eq);
    out[name] = coerceInput(name, pair.slice(eq + 1), schema);
  }
  return out;
}

/** Applies the schema's defaults and validates: the inputs to run with, or every problem with its path. */
export function checkWorkflowInputs(
  schema: unknown,
  provided: Readonly<Record<string, unknown>>,
):
  | { readonly ok: true; readonly value: Record<string, unknown> }
  | { readonly ok: false; readonly issues: SchemaIssue[] } {
  const value: Record<string, unknown> = structuredClone({ ...provided });
  if (schema === undefined) return { ok: true, value };
  const issues = validateWithDefaults(schema as object | boolean, value);
  return issues.length === 0 ? { ok: true, value } : { ok: false, issues };
}

/** The message for inputs that do not match `## Input_Schema`, every problem with its path. */
export function inputsProblem(issues: readonly SchemaIssue[]): string {
  return `the inputs do not match ## Input_Schema: ${issues.map((i) => `${i.path || '/'} ${i.message}`).join('; ')}`;
}

/** checkWorkflowInputs that throws a usage error listing every problem with its path. */
export function resolveWorkflowInputs(
  schema: unknown,
  provided: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const checked = checkWorkflowInputs(schema, provided);
  if (checked.ok) return checked.value;
  throw new MamlError('usage', inputsProblem(checked.issues), { details: { issues: checked.issues } });
}

export function mergeInputs(
  blockId: string,
  workflow: Readonly<Record<string, unknown>>,
  upstream: readonly { readonly id: string; readonly outputs: Readonly<Record<string, unknown>> }[],
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...workflow };
  const producer = new Map<string, string>();
  for (const { id, outputs } of upstream) {
    for (const [name, value] of Object.entries(outputs)) {
      const other = producer.get(name);
      if (other !== undefined)
        throw new MamlError(
          'block_failed',
          `block ${blockId}: input \`${name}\` is produced by both ${other} and ${id}; rename one of the outputs`,
        );
      producer.set(name, id);
      merged[name] = value;
    }
  }
  return merged;
}
