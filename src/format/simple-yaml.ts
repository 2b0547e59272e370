/**
 * A fast reader for the plain YAML most front matter is written in: block mappings and sequences by indentation,
 * one-line flow sequences and mappings of scalars, plain and quoted scalars resolved by the YAML 1.2 core schema,
 * comments. Anything else (anchors, aliases, tags, block scalars, multi-line or nested flow values, duplicate
 * keys, tabs) makes it return undefined, and the caller uses the full `yaml` library instead. The differential
 * test in test/format/simple-yaml.test.ts checks that both readers agree wherever this one answers.
 */

export interface SimpleYaml {
  readonly value: Record<string, unknown>;
  /** [start, end) offsets of each value by path (`/a/0`), and of each key by `path#key`. */
  readonly ranges: Map<string, readonly [number, number]>;
}

interface SrcLine {
  readonly start: number;
  readonly indent: number;
  /** Content after the indent, comment-only and blank lines already dropped. */
  readonly body: string;
}

class Bail extends Error {}
const bail = (): never => {
  throw new Bail();
};

// YAML 1.2 core schema (§10.3.2).
const NULL = /^(?:~|null|Null|NULL|)$/;
const TRUE = /^(?:true|True|TRUE)$/;
const FALSE = /^(?:false|False|FALSE)$/;
const INT = /^[-+]?[0-9]+$/;
const OCT = /^0o[0-7]+$/;
const HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
const INF = /^[-+]?\.(?:inf|Inf|INF)$/;
const NAN = /^\.(?:nan|NaN|NAN)$/;
/** Deeper documents go to the full reader, which enforces the nesting limit with a diagnostic. */
const MAX_INDENT = 128;
const KEY = /^([A-Za-z0-9_][\w.-]*)[ ]*:(?: |$)/;

function resolvePlain(text: string): unknown {
  if (NULL.test(text)) return null;
  if (TRUE.test(text)) return true;
  if (FALSE.test(text)) return false;
  if (INT.test(text)) {
    const n = Number(text);
    return Number.isSafeInteger(n) ? n : bail();
  }
  if (OCT.test(text)) return parseInt(text.slice(2), 8);
  if (HEX.test(text)) return parseInt(text.slice(2), 16);
  if (FLOAT.test(text)) return Number(text);
  if (INF.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  if (NAN.test(text)) return NaN;
  return text;
}

const DQ_ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  n: '\n',
  t: '\t',
  r: '\r',
  '0': '\0',
};

/** Reads a quoted scalar starting at text[i]; returns the value and the index after the closing quote. */
function readQuoted(text: string, i: number): [string, number] {
  const q = text[i];
  let out = '';
  let j = i + 1;
  while (j < text.length) {
    const c = text[j] as string;
    if (c === q) {
      if (q === "'" && text[j + 1] === "'") {
        out += "'";
        j += 2;
        continue;
      }
      return [out, j + 1];
    }
    if (q === '"' && c === '\\') {
      const e = text[j + 1] ?? '';
      if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(j + 2, j + 6))) {
        out += String.fromCharCode(parseInt(text.slice(j + 2, j + 6), 16));
        j += 6;
        continue;
      }
      const mapped = DQ_ESCAPES[e];
      if (mapped === undefined) bail();
      out += mapped;
      j += 2;
      continue;
    }
    out += c;
    j++;
  }
  return bail();
}

/** Rest of a line after a value: only spaces and an optional ` # comment`. */
function expectEnd(text: string, i: number): void {
  const rest = text.slice(i);
  if (rest.trim() !== '' && !/^[ ]+#/.test(rest)) bail();
}

/**
 * `maxDepth` is the deepest nesting accepted (the top mapping's values are at depth 1); deeper documents go to the
 * full reader, which reports them.
 */
export function readSimpleYaml(src: string, maxDepth = 64): SimpleYaml | undefined {
  if (src.includes('\t') || src.includes('\r')) return undefined;
  const lines: SrcLine[] = [];
  let offset = 0;
  for (const raw of src.split('\n')) {
    let indent = 0;
    while (raw.charCodeAt(indent) === 32) indent++;
    const body = raw.slice(indent);
    if (body !== '' && body[0] !== '#') lines.push({ start: offset, indent, body });
    offset += raw.length + 1;
  }
  const ranges = new Map<string, readonly [number, number]>();
  let cursor = 0;

  /** A scalar or one-line flow value starting at body[i] of line; records its range under `path`. */
  function inlineValue(line: SrcLine, i: number, path: string, depth: number): unknown {
    const text = line.body;
    const at = line.start + line.indent + i;
    const c = text[i];
    if (c === '"' || c === "'") {
      const [value, end] = readQuoted(text, i);
      expectEnd(text, end);
      ranges.set(path, [at, line.start + line.indent + end]);
      return value;
    }
    if (c === '[' || c === '{') {
      if (depth + 1 > maxDepth) bail();
      const close = c === '[' ? ']' : '}';
      const items: unknown[] = [];
      const map: Record<string, unknown> = {};
      let j = i + 1;
      let n = 0;
      for (;;) {
        while (text[j] === ' ') j++;
        if (text[j] === close && n === 0) break;
        let key: string | undefined;
        if (c === '{') {
          const m = /^([A-Za-z0-9_][\w.-]*)[ ]*:[ ]+/.exec(text.slice(j));
          if (!m) bail();
          key = (m as RegExpExecArray)[1] as string;
          if (Object.hasOwn(map, key)) bail();
          const keyStart = line.start + line.indent + j;
          ranges.set(`${path}/${key}#key`, [keyStart, keyStart + key.length]);
          j += (m as RegExpExecArray)[0].length;
        }
        const itemPath = `${path}/${key ?? n}`;
        const itemStart = line.start + line.indent + j;
        let value: unknown;
        if (text[j] === '"' || text[j] === "'") {
          const [v, end] = readQuoted(text, j);
          value = v;
          j = end;
        } else {
          const m = /^[^,[\]{}#"']*/.exec(text.slice(j)) as RegExpExecArray;
          const plain = m[0].trimEnd();
          if (plain === '' || /^[-?:&*!|>%@`]( |$)|^[&*!|>%@`]|: /.test(plain)) bail();
          value = resolvePlain(plain);
          j += plain.length;
        }
        ranges.set(itemPath, [itemStart, line.start + line.indent + j]);
        if (key === undefined) items.push(value);
        else map[key] = value;
        n++;
        while (text[j] === ' ') j++;
        if (text[j] === ',') {
          j++;
          continue;
        }
        if (text[j] === close) break;
        bail();
      }
      expectEnd(text, j + 1);
      ranges.set(path, [at, line.start + line.indent + j + 1]);
      return c === '[' ? items : map;
    }
    const hash = text.indexOf(' #', i);
    const plain = (hash === -1 ? text.slice(i) : text.slice(i, hash)).trimEnd();
    if (/^[?:&*!|>%@`,\]}]|^- |^-$|: /.test(plain) || plain.endsWith(':')) bail();
    ranges.set(path, [at, at + plain.length]);
    return resolvePlain(plain);
  }

  /** The value of `key:` with nothing after the colon: a nested block, or null. */
  function blockValue(parentIndent: number, path: string, keyEnd: number, depth: number): unknown {
    const next = lines[cursor];
    if (
      next &&
      next.body.startsWith('-') &&
      (next.body === '-' || next.body[1] === ' ') &&
      next.indent >= parentIndent
    ) {
      return readSeq(next.indent, path, depth);
    }
    if (next && next.indent > parentIndent) return readMap(next.indent, path, depth);
    ranges.set(path, [keyEnd, keyEnd]);
    return null;
  }

  /** A mapping at `depth`; its values are one level deeper. */
  function readMap(indent: number, path: string, depth: number): Record<string, unknown> {
    if (indent > MAX_INDENT || depth + 1 > maxDepth) bail();
    const map: Record<string, unknown> = {};
    const first = lines[cursor] as SrcLine;
    let end = first.start + indent;
    while (cursor < lines.length) {
      const line = lines[cursor] as SrcLine;
      if (line.indent < indent) break;
      if (line.indent > indent) bail();
      const m = KEY.exec(line.body);
      if (!m) bail();
      const key = (m as RegExpExecArray)[1] as string;
      if (Object.hasOwn(map, key)) bail();
      const childPath = `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      const keyStart = line.start + indent;
      ranges.set(`${childPath}#key`, [keyStart, keyStart + key.length]);
      let i = (m as RegExpExecArray)[0].length;
      while (line.body[i] === ' ') i++;
      cursor++;
      if (i >= line.body.length || line.body[i] === '#') {
        if (i < line.body.length && line.body[i - 1] !== ' ') bail();
        map[key] = blockValue(indent, childPath, keyStart + key.length + 1, depth + 1);
      } else map[key] = inlineValue(line, i, childPath, depth + 1);
      end = (ranges.get(childPath) ?? [0, end])[1];
    }
    ranges.set(path === '' ? '/' : path, [first.start + indent, end]);
    return map;
  }

  function readSeq(indent: number, path: string, depth: number): unknown[] {
    if (indent > MAX_INDENT || depth + 1 > maxDepth) bail();
    const items: unknown[] = [];
    const first = lines[cursor] as SrcLine;
    let end = first.start + indent;
    while (cursor < lines.length) {
      const line = lines[cursor] as SrcLine;
      if (line.indent < indent || !(line.body === '-' || line.body.startsWith('- '))) break;
      if (line.indent > indent) bail();
      let i = 1;
      while (line.body[i] === ' ') i++;
      cursor++;
      const itemPath = `${path}/${items.length}`;
      if (i >= line.body.length) bail();
      if (KEY.test(line.body.slice(i))) bail();
      items.push(inlineValue(line, i, itemPath, depth + 1));
      end = (ranges.get(itemPath) ?? [0, end])[1];
    }
    ranges.set(path, [first.start + indent, end]);
    return items;
  }

  try {
    if (lines.length === 0) return { value: {}, ranges };
    if ((lines[0] as SrcLine).indent !== 0) return undefined;
    const value = readMap(0, '', 0);
    if (cursor !== lines.length) return undefined;
    return { value, ranges };
  } catch (error) {
    if (error instanceof Bail) return undefined;
    throw error;
  }
}
