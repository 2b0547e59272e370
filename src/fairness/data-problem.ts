/**
 * What is wrong with a data set handed to the fairness code, as data: a stable code, the column and the row
 * (1-based data row, not counting a header line) where it was found, and a message that says what to do.
 * The metrics never guess around bad input: a problem stops the computation rather than giving a wrong number.
 */

export type DataProblemCode =
  | 'missing_column'
  | 'empty_group'
  | 'not_binary'
  | 'not_a_number'
  | 'bad_weight'
  | 'length_mismatch'
  | 'no_rows'
  | 'bad_row'
  | 'too_large';

export interface DataProblem {
  readonly code: DataProblemCode;
  readonly message: string;
  readonly column?: string;
  /** 1-based data row (the first row after any header is row 1). */
  readonly row?: number;
  /** 1-based line of the file, where it differs from what the row suggests or there is no row. */
  readonly line?: number;
}

export type DataResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: DataProblem };

export const ok = <T>(value: T): DataResult<T> => ({ ok: true, value });
export const problem = (p: DataProblem): DataResult<never> => ({ ok: false, problem: p });

/** The problem as one line: `column sex, row 17: …`. */
export function problemText(p: DataProblem): string {
  const where = [
    p.column !== undefined ? `column ${JSON.stringify(p.column)}` : '',
    p.row !== undefined ? `row ${p.row}` : '',
    p.line !== undefined ? `line ${p.line}` : '',
  ]
    .filter((s) => s !== '')
    .join(', ');
  return where ? `${where}: ${p.message}` : p.message;
}
