/**
 * `:name` placeholders of SQL blocks, bound as `$n` parameters (never spliced into the text). A placeholder is a
 * colon and a name outside string and identifier quotes, dollar-quoted bodies, comments and `::` casts, following
 * PostgreSQL's lexical rules (PostgreSQL 17 documentation §4.1.2.4 dollar quoting, §4.1.5 comments, which nest).
 */

const DOLLAR_TAG = /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

/** End (exclusive) of the nested block comment starting at `start`, or the end of the text. */
function blockCommentEnd(sql: string, start: number): number {
  let depth = 0;
  for (let i = start; i < sql.length; i++) {
    if (sql.startsWith('/*', i)) {
      depth++;
      i++;
    } else if (sql.startsWith('*/', i)) {
      depth--;
      i++;
      if (depth === 0) return i + 1;
    }
  }
  return sql.length;
}

/** Replaces `:name` placeholders with `$n`; returns the parameter names in order of first use. */
export function bindNamedParameters(sql: string): { text: string; names: string[] } {
  const names: string[] = [];
  let text = '';
  let i = 0;
  const copyTo = (stop: number): void => {
    text += sql.slice(i, stop);
    i = stop;
  };
  while (i < sql.length) {
    const ch = sql[i] ?? '';
    const next = sql[i + 1] ?? '';
    // `$` inside an identifier (`a$b`) does not start a dollar quote.
    const inWord = /[A-Za-z0-9_$]/.test(sql[i - 1] ?? '');
    const tag = ch === '$' && !inWord ? DOLLAR_TAG.exec(sql.slice(i))?.[0] : undefined;
    if (ch === "'" || ch === '"') {
      const end = sql.indexOf(ch, i + 1);
      copyTo(end < 0 ? sql.length : end + 1);
    } else if (tag !== undefined) {
      const end = sql.indexOf(tag, i + tag.length);
      copyTo(end < 0 ? sql.length : end + tag.length);
    } else if (ch === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      copyTo(end < 0 ? sql.length : end);
    } else if (ch === '/' && next === '*') {
      copyTo(blockCommentEnd(sql, i));
    } else if (ch === ':' && next === ':') {
      copyTo(i + 2);
    } else if (ch === ':' && /[A-Za-z_]/.test(next)) {
      const name = NAME.exec(sql.slice(i + 1))?.[0] ?? '';
      let index = names.indexOf(name);
      if (index < 0) index = names.push(name) - 1;
      text += `$${index + 1}`;
      i += 1 + name.length;
    } else copyTo(i + 1);
  }
  return { text, names };
}
