/**
 * A table of text cells read from CSV (RFC 4180: comma-separated, a header line, fields optionally in double
 * quotes with "" for a quote; spaces around unquoted fields are trimmed, as the UCI files have them) or from JSON
 * lines (one object per line; numbers and booleans become their JSON text, null the empty cell). Never throws on
 * bad text: a row with the wrong number of fields, an unclosed quote or a line that is not an object is a
 * problem naming the row and line. Linear in the input.
 */
import { ok, problem, type DataResult } from './data-problem.js';

export interface TextTable {
  readonly header: readonly string[];
  /** Data rows, each with one cell per header column. */
  readonly rows: readonly (readonly string[])[];
  /** The 1-based file line each data row starts on. */
  readonly lines: readonly number[];
}

export type TableFormat = 'csv' | 'jsonl';

export function parseTable(text: string, format: TableFormat): DataResult<TextTable> {
  return format === 'csv' ? parseCsv(text) : parseJsonLines(text);
}

/** Splits CSV into records of raw fields; returns the records with their start lines, or an unclosed-quote problem. */
function csvRecords(text: string): DataResult<{ fields: string[]; line: number }[]> {
  const records: { fields: string[]; line: number }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let wasQuoted = false;
  let line = 1;
  let recordLine = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endField = (): void => {
    fields.push(wasQuoted ? field : field.trim());
    field = '';
    wasQuoted = false;
  };
  const endRecord = (): void => {
    endField();
    // A blank line is no record.
    if (!(fields.length === 1 && fields[0] === '')) records.push({ fields, line: recordLine });
    fields = [];
  };
  for (; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"' && field.trim() === '') {
      quoted = true;
      wasQuoted = true;
      field = '';
    } else if (ch === ',') endField();
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else field += ch;
  }
  if (quoted)
    return problem({ code: 'bad_row', line: recordLine, message: 'a quoted field is never closed (a " is missing)' });
  if (field !== '' || fields.length > 0 || wasQuoted) endRecord();
  return ok(records);
}

function parseCsv(text: string): DataResult<TextTable> {
  const parsed = csvRecords(text);
  if (!parsed.ok) return parsed;
  const [head, ...data] = parsed.value;
  if (!head)
    return problem({ code: 'no_rows', message: 'the file is empty: a header line and data rows are expected' });
  const header = head.fields;
  const seen = new Set<string>();
  for (const name of header) {
    if (seen.has(name))
      return problem({ code: 'bad_row', column: name, line: head.line, message: 'the header names this column twice' });
    seen.add(name);
  }
  const rows: string[][] = [];
  const lines: number[] = [];
  for (let r = 0; r < data.length; r++) {
    const rec = data[r] as { fields: string[]; line: number };
    if (rec.fields.length !== header.length)
      return problem({
        code: 'bad_row',
        row: r + 1,
        line: rec.line,
        message: `the row has ${rec.fields.length} fields, the header ${header.length}`,
      });
    rows.push(rec.fields);
    lines.push(rec.line);
  }
  return ok({ header, rows, lines });
}

function cellText(value: unknown): string | undefined {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value);
  return undefined;
}

function parseJsonLines(text: string): DataResult<TextTable> {
  const header: string[] = [];
  const index = new Map<string, number>();
  const objects: { value: Record<string, unknown>; line: number }[] = [];
  const all = text.split('\n');
  for (let l = 0; l < all.length; l++) {
    const source = (all[l] as string).trim();
    if (source === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(source);
    } catch (error) {
      return problem({
        code: 'bad_row',
        row: objects.length + 1,
        line: l + 1,
        message: `not JSON (${error instanceof Error ? error.message : String(error)})`,
      });
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      return problem({
        code: 'bad_row',
        row: objects.length + 1,
        line: l + 1,
        message: 'each line must be one JSON object',
      });
    for (const key of Object.keys(value))
      if (!index.has(key)) {
        index.set(key, header.length);
        header.push(key);
      }
    objects.push({ value: value as Record<string, unknown>, line: l + 1 });
  }
  if (objects.length === 0) return problem({ code: 'no_rows', message: 'the file has no JSON object lines' });
  const rows: string[][] = [];
  for (let r = 0; r < objects.length; r++) {
    const { value, line } = objects[r] as { value: Record<string, unknown>; line: number };
    const cells = new Array<string>(header.length).fill('');
    for (const [key, v] of Object.entries(value)) {
      const text = cellText(v);
      if (text === undefined)
        return problem({
          code: 'bad_row',
          column: key,
          row: r + 1,
          line,
          message: 'a cell must be a string, number, boolean or null',
        });
      cells[index.get(key) as number] = text;
    }
    rows.push(cells);
  }
  return ok({ header, rows, lines: objects.map((o) => o.line) });
}
