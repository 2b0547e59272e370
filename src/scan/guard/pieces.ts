/**
 * Where an injected instruction can hide, as pieces of text with their place in the document: every line of
 * prose (History included), the values of the front matter, and in code blocks the comments and the string
 * literals that read like words (a JSON Schema `description`, a prompt in a Python string, an SQL comment). A
 * fence with no language, or a language of text (`text`, `markdown`, `prompt`, …), is read whole. Lines holding
 * expected encoded data (tickets, signed run records, encrypted bodies) are left out.
 */
import type { Segment } from '../segments.js';
import { inRanges } from '../segments.js';

/** A stretch of the document: [start, end) in UTF-16 code units. */
export interface Piece {
  readonly start: number;
  readonly end: number;
}

type Comments = { readonly line: readonly string[]; readonly block: readonly (readonly [string, string])[] };

const HASH: Comments = { line: ['#'], block: [] };
const SLASH: Comments = { line: ['//'], block: [['/*', '*/']] };
const DASH: Comments = { line: ['--'], block: [['/*', '*/']] };
const COMMENTS: Readonly<Record<string, Comments>> = {
  python: HASH,
  bash: HASH,
  sh: HASH,
  shell: HASH,
  zsh: HASH,
  yaml: HASH,
  yml: HASH,
  toml: HASH,
  r: HASH,
  ruby: HASH,
  perl: HASH,
  powershell: { line: ['#'], block: [['<#', '#>']] },
  dockerfile: HASH,
  makefile: HASH,
  javascript: SLASH,
  typescript: SLASH,
  js: SLASH,
  ts: SLASH,
  json: SLASH,
  jsonc: SLASH,
  c: SLASH,
  cpp: SLASH,
  java: SLASH,
  go: SLASH,
  rust: SLASH,
  css: SLASH,
  qasm: SLASH,
  openqasm: SLASH,
  sql: DASH,
  postgresql: DASH,
  lua: DASH,
  haskell: { line: ['--'], block: [['{-', '-}']] },
  ocaml: { line: [], block: [['(*', '*)']] },
};
/** Unknown languages: both common comment styles. */
const FALLBACK: Comments = { line: ['#', '//'], block: [['/*', '*/']] };
const TEXT_LANGS = new Set(['', 'text', 'txt', 'plain', 'plaintext', 'markdown', 'md', 'prompt', 'prose', 'none']);

/** A string literal worth reading: two words or more. */
function wordy(text: string, start: number, end: number): boolean {
  if (end - start < 8) return false;
  const s = text.slice(start, end);
  return /\p{L}{2,}\s+\p{L}{2,}/u.test(s);
}

/** Splits [start, end) at line breaks into non-blank pieces. */
function pushLines(out: Piece[], text: string, start: number, end: number): void {
  let at = start;
  while (at < end) {
    const nl = text.indexOf('\n', at);
    const stop = nl === -1 || nl > end ? end : nl;
    let s = at;
    let e = stop;
    while (s < e && /\s/.test(text[s] ?? '')) s++;
    while (e > s && /\s/.test(text[e - 1] ?? '')) e--;
    if (e > s) out.push({ start: s, end: e });
    at = stop + 1;
  }
}

/** Comments and wordy string literals of a code block, by a small lexer that knows quotes and comment marks. */
function codePieces(out: Piece[], text: string, seg: Segment): void {
  const c = COMMENTS[seg.lang] ?? FALLBACK;
  const from = seg.offset;
  const to = seg.offset + seg.text.length;
  let i = from;
  while (i < to) {
    const ch = text[i] ?? '';
    const block = c.block.find(([open]) => text.startsWith(open, i));
    if (block) {
      const close = text.indexOf(block[1], i + block[0].length);
      const stop = close === -1 || close >= to ? to : close;
      pushLines(out, text, i + block[0].length, stop);
      i = stop + block[1].length;
      continue;
    }
    const line = c.line.find((mark) => text.startsWith(mark, i));
    if (line) {
      const nl = text.indexOf('\n', i);
      const stop = nl === -1 || nl > to ? to : nl;
      pushLines(out, text, i + line.length, stop);
      i = stop;
      continue;
    }
    if (ch === '"' || ch === "'" || ch === '`') {
      const triple = text.startsWith(ch.repeat(3), i);
      const quote = triple ? ch.repeat(3) : ch;
      const multiline = triple || ch === '`';
      let j = i + quote.length;
      while (j < to) {
        const d = text[j];
        if (d === '\\') j += 2;
        else if (text.startsWith(quote, j)) break;
        else if (d === '\n' && !multiline) break;
        else j++;
      }
      const stop = Math.min(j, to);
      if (wordy(text, i + quote.length, stop)) pushLines(out, text, i + quote.length, stop);
      i = text.startsWith(quote, stop) ? stop + quote.length : stop + 1;
      continue;
    }
    i++;
  }
}

/** `key: value` and `- value` lines of front matter, as their values. */
function frontMatterPieces(out: Piece[], text: string, seg: Segment): void {
  const lines: Piece[] = [];
  pushLines(lines, text, seg.offset, seg.offset + seg.text.length);
  for (const p of lines) {
    const line = text.slice(p.start, p.end);
    if (line === '---') continue;
    const m = /^(?:-\s+)?(?:["']?[\w.$@-]+["']?\s*:(?:\s+|$))?(?:[|>][-+]?\s*$)?/.exec(line);
    const skip = m ? m[0].length : 0;
    if (p.start + skip < p.end) out.push({ start: p.start + skip, end: p.end });
  }
}

export function textPieces(
  text: string,
  segments: readonly Segment[],
  expected: readonly (readonly [number, number])[],
): Piece[] {
  const out: Piece[] = [];
  for (const seg of segments) {
    if (seg.kind === 'prose' || (seg.kind === 'code' && TEXT_LANGS.has(seg.lang)))
      pushLines(out, text, seg.offset, seg.offset + seg.text.length);
    else if (seg.kind === 'code') codePieces(out, text, seg);
    else frontMatterPieces(out, text, seg);
  }
  return expected.length === 0 ? out : out.filter((p) => !inRanges(expected, p.start));
}
