/**
 * Turns named columns of a table into a BinarySample: the group of each row (the protected columns' values,
 * joined with " × " for an intersection), binary outcomes and labels (1 where the value is one of the favourable
 * values), and weights. Checked row by row: a missing column, an empty or NaN cell, a third distinct value in a
 * binary column or a negative or non-numeric weight is a problem naming the column and row, never a number.
 */
import { ok, problem, type DataResult } from './data-problem.js';
import type { BinarySample } from './group-counts.js';

/** Separator of the values of an intersectional group key: `Female × Black`. */
export const INTERSECTION = ' × ';

export interface ColumnSpec {
  /** One or more protected attribute columns. */
  readonly protected: readonly string[];
  /** The outcome measured (predictions); when absent, the label column is measured (a data set's own bias). */
  readonly prediction?: string;
  readonly label?: string;
  /** Values of the prediction and label columns that count as favourable; default `1` or `true` when the column holds only those. */
  readonly favourable?: readonly string[];
  readonly weight?: string;
}

export interface Columns {
  /** Column names in order; `cell(r, c)` the text of row r (0-based) in column c. */
  readonly header: readonly string[];
  readonly rowCount: number;
  cell(row: number, column: number): string;
  /** The file line of a row (0-based), for messages; absent for tables that are not files. */
  line?(row: number): number | undefined;
}

/** Cell texts that mean "no value": refused in every column used. */
const MISSING = new Set(['', 'nan', 'NaN', 'NAN', 'null', 'NULL', 'None', 'NA', 'N/A']);
const DEFAULT_FAVOURABLE: readonly (readonly [string, string])[] = [
  ['1', '0'],
  ['true', 'false'],
  ['1.0', '0.0'],
];

function columnIndex(table: Columns, name: string): DataResult<number> {
  const i = table.header.indexOf(name);
  if (i >= 0) return ok(i);
  const shown = table.header.slice(0, 30).map((h) => JSON.stringify(h));
  return problem({
    code: 'missing_column',
    column: name,
    message: `there is no such column; the columns are ${shown.join(', ')}${table.header.length > 30 ? ', …' : ''}`,
  });
}

function where(table: Columns, column: string, r: number): { column: string; row: number; line?: number } {
  const line = table.line?.(r);
  return line === undefined ? { column, row: r + 1 } : { column, row: r + 1, line };
}

function missingProblem(table: Columns, column: string, r: number, text: string): DataResult<never> {
  return problem({
    code: 'not_a_number',
    ...where(table, column, r),
    message: `${text === '' ? 'the cell is empty' : `${JSON.stringify(text)} is not a value`}: every row needs a value here; drop or fill the row`,
  });
}

/** 0/1 per row for a binary column, with the favourable values given or inferred. */
function binaryColumn(table: Columns, name: string, favourable: readonly string[] | undefined): DataResult<Uint8Array> {
  const c = columnIndex(table, name);
  if (!c.ok) return c;
  let fav = favourable ? new Set(favourable) : undefined;
  if (!fav) {
    const values = new Set<string>();
    for (let r = 0; r < table.rowCount && values.size <= 2; r++) {
      const text = table.cell(r, c.value);
      if (!MISSING.has(text)) values.add(text);
    }
    const pair = DEFAULT_FAVOURABLE.find(([yes, no]) => [...values].every((v) => v === yes || v === no));
    if (!pair)
      return problem({
        code: 'not_binary',
        column: name,
        message: `the values (${[...values]
          .slice(0, 3)
          .map((v) => JSON.stringify(v))
          .join(
            ', ',
          )}${values.size > 2 ? ', …' : ''}) are not 0/1 or true/false: say which value is favourable (--favourable VALUE)`,
      });
    fav = new Set([pair[0]]);
  }
  const out = new Uint8Array(table.rowCount);
  let other: string | undefined;
  for (let r = 0; r < table.rowCount; r++) {
    const text = table.cell(r, c.value);
    if (fav.has(text)) {
      out[r] = 1;
      continue;
    }
    if (MISSING.has(text)) return missingProblem(table, name, r, text);
    if (other === undefined) other = text;
    else if (text !== other)
      return problem({
        code: 'not_binary',
        ...where(table, name, r),
        message: `${JSON.stringify(text)} is a third value besides the favourable ${[...fav].map((v) => JSON.stringify(v)).join(' / ')} and ${JSON.stringify(other)}: the column must be binary (name every favourable spelling with --favourable)`,
      });
  }
  return ok(out);
}

export function sampleFromColumns(table: Columns, spec: ColumnSpec): DataResult<BinarySample> {
  if (table.rowCount === 0) return problem({ code: 'no_rows', message: 'the table has no data rows' });
  if (spec.protected.length === 0)
    return problem({ code: 'missing_column', message: 'name at least one protected column' });
  const outcomeColumn = spec.prediction ?? spec.label;
  if (outcomeColumn === undefined)
    return problem({
      code: 'missing_column',
      message: 'name the prediction column (or a label column to measure the data itself)',
    });
  const indices: number[] = [];
  for (const name of spec.protected) {
    const c = columnIndex(table, name);
    if (!c.ok) return c;
    indices.push(c.value);
  }
  const groups = new Array<string>(table.rowCount);
  for (let r = 0; r < table.rowCount; r++) {
    let key = '';
    for (let k = 0; k < indices.length; k++) {
      const text = table.cell(r, indices[k] as number);
      if (MISSING.has(text)) return missingProblem(table, spec.protected[k] as string, r, text);
      key = k === 0 ? text : `${key}${INTERSECTION}${text}`;
    }
    groups[r] = key;
  }
  const predictions = binaryColumn(table, outcomeColumn, spec.favourable);
  if (!predictions.ok) return predictions;
  let labels: Uint8Array | undefined;
  if (spec.label !== undefined && spec.prediction !== undefined) {
    const l = binaryColumn(table, spec.label, spec.favourable);
    if (!l.ok) return l;
    labels = l.value;
  }
  let weights: Float64Array | undefined;
  if (spec.weight !== undefined) {
    const c = columnIndex(table, spec.weight);
    if (!c.ok) return c;
    weights = new Float64Array(table.rowCount);
    for (let r = 0; r < table.rowCount; r++) {
      const text = table.cell(r, c.value);
      const w = text.trim() === '' ? Number.NaN : Number(text);
      if (!Number.isFinite(w) || w < 0)
        return problem({
          code: 'bad_weight',
          ...where(table, spec.weight, r),
          message: `${JSON.stringify(text)} is not a weight: weights are finite numbers of 0 or more`,
        });
      weights[r] = w;
    }
  }
  return ok({ groups, predictions: predictions.value, ...(labels ? { labels } : {}), ...(weights ? { weights } : {}) });
}

/** A TextTable (or any row-major table of strings) as Columns. */
export function textColumns(t: {
  header: readonly string[];
  rows: readonly (readonly string[])[];
  lines?: readonly number[];
}): Columns {
  return {
    header: t.header,
    rowCount: t.rows.length,
    cell: (r, c) => (t.rows[r] as readonly string[])[c] as string,
    line: (r) => t.lines?.[r],
  };
}
