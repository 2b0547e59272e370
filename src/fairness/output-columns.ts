/**
 * A block's outputs as a table: each output that is an array is a column (one entry per row, all columns the
 * same length), its cells the JSON scalars written as text (numbers and booleans as JSON writes them, null as
 * the empty cell, which the column checks refuse). A column of objects, or of another length, is a problem naming
 * it and the row.
 */
import { ok, problem, type DataResult } from './data-problem.js';
import type { Columns } from './columns.js';

export function outputColumns(
  outputs: Readonly<Record<string, unknown>>,
  needed: readonly string[],
): DataResult<Columns> {
  const header: string[] = [];
  const cells: string[][] = [];
  let rowCount: number | undefined;
  let first = '';
  for (const name of needed) {
    if (header.includes(name)) continue;
    const value = outputs[name];
    if (!Array.isArray(value))
      return problem({
        code: 'missing_column',
        column: name,
        message:
          value === undefined
            ? `the block has no output \`${name}\`: output each column as a list, one entry per row (outputs: ${Object.keys(outputs).slice(0, 20).join(', ') || 'none'})`
            : `the output \`${name}\` is not a list: output each column as a list, one entry per row`,
      });
    if (rowCount === undefined) {
      rowCount = value.length;
      first = name;
    } else if (value.length !== rowCount)
      return problem({
        code: 'length_mismatch',
        column: name,
        message: `the column has ${value.length} rows, \`${first}\` ${rowCount}: every column needs one entry per row`,
      });
    const column: string[] = [];
    for (let r = 0; r < value.length; r++) {
      const v: unknown = value[r];
      if (v === null) column.push('');
      else if (typeof v === 'string') column.push(v);
      else if (typeof v === 'number' || typeof v === 'boolean') column.push(JSON.stringify(v));
      else
        return problem({
          code: 'bad_row',
          column: name,
          row: r + 1,
          message: 'a cell must be a string, number, boolean or null',
        });
    }
    header.push(name);
    cells.push(column);
  }
  return ok({ header, rowCount: rowCount ?? 0, cell: (r, c) => (cells[c] as string[])[r] as string });
}
