/**
 * Reads a fence info string: the language word, then optional Pandoc-style attributes in braces:
 * `python {#train .gpu needs=quantum,prep head=ai timeout="30 s"}`. The `{.python #id}` form, where the language
 * is the first class, is accepted too.
 *
 * The attribute list is read by a hand-written scanner, one character at a time. It reads exactly what this
 * sticky regular expression would, token by token (the differential test in test/format checks it against
 * that regex), at a fraction of the cost on the gateway's hot path:
 * `\s*(?:#([^\s}]+)|\.([^\s}=]+)|([A-Za-z_][\w.:-]*)=(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([^\s}]*))|(\S+))`.
 */

export interface InfoString {
  readonly lang: string;
  readonly id: string | undefined;
  readonly classes: readonly string[];
  readonly attributes: Readonly<Record<string, string>>;
  /** Problems with the attribute syntax, as messages (the caller places them). */
  readonly problems: readonly string[];
}

import { isSpace } from './whitespace.js';

const LANG = /^\s*(\S*)/;

/**
 * The attribute names blocks use most, as string constants: a key taken from this map is already interned, so
 * storing it in the attributes object skips a lookup in the engine's string table (measurably cheaper per block).
 */
const COMMON_KEYS: ReadonlyMap<string, string> = new Map(
  ['needs', 'head', 'timeout', 'continue_on_error', 'run', 'shots', 'cache'].map((k) => [k, k]),
);

/** Characters the regex's `.` does not match. */
function isLineTerminator(c: number): boolean {
  return c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
}

const CLOSE_BRACE = 125;
const EQUALS = 61;
const QUOTE = 34;
const APOSTROPHE = 39;
const BACKSLASH = 92;

function isKeyStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** `[\w.:-]` */
function isKeyChar(c: number): boolean {
  return isKeyStart(c) || (c >= 48 && c <= 57) || c === 46 || c === 58 || c === 45;
}

/** End of the run of characters from `i` that are not whitespace and not `stop` (nor `stop2`). */
function runEnd(s: string, i: number, stop: number, stop2 = -1): number {
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c === stop || c === stop2 || isSpace(c)) break;
    i++;
  }
  return i;
}

type Token =
  | { kind: 'id' | 'class' | 'unexpected'; text: string; end: number }
  | { kind: 'attribute'; key: string; value: string; end: number };

/** The token starting at `at` (after optional whitespace), or undefined when only whitespace is left. */
function readToken(s: string, at: number): Token | undefined {
  let i = at;
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  if (i >= s.length) return undefined;
  const c = s.charCodeAt(i);
  if (c === 35 /* # */) {
    const end = runEnd(s, i + 1, CLOSE_BRACE);
    if (end > i + 1) return { kind: 'id', text: s.slice(i + 1, end), end };
  } else if (c === 46 /* . */) {
    const end = runEnd(s, i + 1, CLOSE_BRACE, EQUALS);
    if (end > i + 1) return { kind: 'class', text: s.slice(i + 1, end), end };
  } else if (isKeyStart(c)) {
    let k = i + 1;
    while (k < s.length && isKeyChar(s.charCodeAt(k))) k++;
    if (s.charCodeAt(k) === EQUALS) {
      const key = s.slice(i, k);
      const v = k + 1;
      const q = s.charCodeAt(v);
      if (q === QUOTE) {
        let j = v + 1;
        let escaped = false;
        while (j < s.length) {
          const d = s.charCodeAt(j);
          if (d === QUOTE) break;
          if (d === BACKSLASH) {
            if (j + 1 >= s.length || isLineTerminator(s.charCodeAt(j + 1))) {
              j = s.length;
              break;
            }
            escaped = true;
            j += 2;
          } else j++;
        }
        if (j < s.length) {
          const raw = s.slice(v + 1, j);
          return { kind: 'attribute', key, value: escaped ? raw.replace(/\\(.)/g, '$1') : raw, end: j + 1 };
        }
      } else if (q === APOSTROPHE) {
        const close = s.indexOf("'", v + 1);
        if (close !== -1) return { kind: 'attribute', key, value: s.slice(v + 1, close), end: close + 1 };
      }
      const end = runEnd(s, v, CLOSE_BRACE);
      return { kind: 'attribute', key, value: s.slice(v, end), end };
    }
  }
  const end = runEnd(s, i, -1);
  return { kind: 'unexpected', text: s.slice(i, end), end };
}

const SHOWN = 5;

/** `\`a\`, \`b\`` or `\`a\`, … and 7 more`, each item cut to a readable length. */
function listed(items: readonly string[]): string {
  const shown = items.slice(0, SHOWN).map((t) => `\`${t.length > 40 ? `${t.slice(0, 40)}…` : t}\``);
  return items.length > SHOWN ? `${shown.join(', ')} and ${items.length - SHOWN} more` : shown.join(', ');
}

export function parseInfoString(info: string): InfoString {
  const brace = info.indexOf('{');
  let lang = LANG.exec(brace === -1 ? info : info.slice(0, brace))?.[1] ?? '';
  let id: string | undefined;
  const classes: string[] = [];
  const attributes: Record<string, string> = {};
  const problems: string[] = [];
  if (brace !== -1) {
    const closeAt = info.lastIndexOf('}');
    if (closeAt < brace) problems.push('attribute list is missing its closing `}`');
    const inner = info.slice(brace + 1, closeAt < brace ? info.length : closeAt);
    // Repeated problems are one message each (a list of thousands of stray tokens is one problem, not thousands).
    const ids: string[] = [];
    const unexpected: string[] = [];
    for (let at = 0; at < inner.length;) {
      const token = readToken(inner, at);
      if (!token) break;
      at = token.end;
      if (token.kind === 'id') {
        ids.push(token.text);
        id = token.text;
      } else if (token.kind === 'class') classes.push(token.text);
      else if (token.kind === 'attribute') attributes[COMMON_KEYS.get(token.key) ?? token.key] = token.value;
      else unexpected.push(token.text);
    }
    if (ids.length > 1) problems.push(`block has ${ids.length} ids, ${listed(ids.map((x) => `#${x}`))}; keep one`);
    if (unexpected.length > 0)
      problems.push(`unexpected ${listed(unexpected)} in attributes; use key=value, #id or .class`);
  }
  if (lang === '' && classes.length > 0) lang = classes.shift() ?? '';
  return { lang, id, classes, attributes, problems };
}

/** A word after the language that reads as an attribute: `key=value`, `#id` or `.class`. */
const ATTRIBUTE_LIKE = /^(?:[A-Za-z_][\w.:-]*=|#[^\s{}]|\.[^\s{}=])/;

/**
 * Words outside the braces (between the language and `{`, or after the closing `}`) when any of them looks like an
 * attribute written without braces (` ```python id=a needs=b `); `parseInfoString` does not read them, as Pandoc
 * does not. Empty when there are none.
 */
export function unbracedAttributes(info: string): string[] {
  const brace = info.indexOf('{');
  const close = info.lastIndexOf('}');
  const before = (brace === -1 ? info : info.slice(0, brace)).trim().split(/\s+/).slice(1);
  const after =
    brace !== -1 && close > brace
      ? info
          .slice(close + 1)
          .trim()
          .split(/\s+/)
      : [];
  const words = [...before, ...after].filter((w) => w !== '');
  return words.some((w) => ATTRIBUTE_LIKE.test(w)) ? words : [];
}
