/**
 * Turns table columns into a numeric design matrix for the logistic regression: numeric columns standardised with
 * the training rows' mean and standard deviation, categorical columns one-hot (categories as seen in training,
 * in order of first appearance; an unseen category is all zeros). Fitted once on training data and applied to
 * any table with the same columns, so held-out and test data are encoded exactly as the training data was.
 */
import { ok, problem, type DataResult } from './data-problem.js';
import type { Columns } from './columns.js';

export interface FeatureSpec {
  readonly numeric: readonly string[];
  readonly categorical: readonly string[];
}

export interface FeatureEncoder {
  readonly spec: FeatureSpec;
  /** Feature names: `age`, `workclass=Private`, … */
  readonly names: readonly string[];
  readonly means: readonly number[];
  readonly scales: readonly number[];
  readonly categories: readonly (readonly string[])[];
}

/** Row-major n × d matrix. */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

function indexOf(table: Columns, name: string): DataResult<number> {
  const i = table.header.indexOf(name);
  return i >= 0 ? ok(i) : problem({ code: 'missing_column', column: name, message: 'there is no such column' });
}

function numberAt(table: Columns, r: number, c: number, name: string): DataResult<number> {
  const text = table.cell(r, c);
  const x = text.trim() === '' ? Number.NaN : Number(text);
  if (Number.isFinite(x)) return ok(x);
  const line = table.line?.(r);
  return problem({
    code: 'not_a_number',
    column: name,
    row: r + 1,
    ...(line !== undefined ? { line } : {}),
    message: `${JSON.stringify(text)} is not a finite number`,
  });
}

export function fitEncoder(table: Columns, spec: FeatureSpec): DataResult<FeatureEncoder> {
  const means: number[] = [];
  const scales: number[] = [];
  const names: string[] = [];
  for (const name of spec.numeric) {
    const c = indexOf(table, name);
    if (!c.ok) return c;
    let sum = 0;
    let sq = 0;
    for (let r = 0; r < table.rowCount; r++) {
      const x = numberAt(table, r, c.value, name);
      if (!x.ok) return x;
      sum += x.value;
      sq += x.value * x.value;
    }
    const mean = sum / Math.max(1, table.rowCount);
    const sd = Math.sqrt(Math.max(0, sq / Math.max(1, table.rowCount) - mean * mean));
    means.push(mean);
    scales.push(sd > 0 ? sd : 1);
    names.push(name);
  }
  const categories: string[][] = [];
  for (const name of spec.categorical) {
    const c = indexOf(table, name);
    if (!c.ok) return c;
    const seen = new Set<string>();
    for (let r = 0; r < table.rowCount; r++) seen.add(table.cell(r, c.value));
    categories.push([...seen]);
    for (const v of seen) names.push(`${name}=${v}`);
  }
  return ok({ spec, names, means, scales, categories });
}

export function encode(encoder: FeatureEncoder, table: Columns): DataResult<Matrix> {
  const { spec, means, scales, categories } = encoder;
  const d = encoder.names.length;
  const data = new Float64Array(table.rowCount * d);
  let offset = 0;
  for (let k = 0; k < spec.numeric.length; k++) {
    const name = spec.numeric[k] as string;
    const c = indexOf(table, name);
    if (!c.ok) return c;
    for (let r = 0; r < table.rowCount; r++) {
      const x = numberAt(table, r, c.value, name);
      if (!x.ok) return x;
      data[r * d + offset] = (x.value - (means[k] as number)) / (scales[k] as number);
    }
    offset++;
  }
  for (let k = 0; k < spec.categorical.length; k++) {
    const name = spec.categorical[k] as string;
    const c = indexOf(table, name);
    if (!c.ok) return c;
    const index = new Map((categories[k] as readonly string[]).map((v, i) => [v, i]));
    for (let r = 0; r < table.rowCount; r++) {
      const i = index.get(table.cell(r, c.value));
      if (i !== undefined) data[r * d + offset + i] = 1;
    }
    offset += (categories[k] as readonly string[]).length;
  }
  return ok({ rows: table.rowCount, cols: d, data });
}
