/**
 * Finds fenced code blocks and top-level headings in the Markdown body, following CommonMark's fence rules: an
 * opening fence of three or more backticks or tildes (indented at most three spaces), closed by a bare fence of
 * the same character that is at least as long. Inside a `markdown`/`md`/`maml` fence, fences that carry an info
 * string nest and a bare fence closes the innermost one, so example documents shown inside a document are not
 * mistaken for its own blocks even when written with fences of equal length.
 */
import type { Line } from './lines.js';
import { firstWord } from './whitespace.js';

export interface RawFence {
  readonly open: Line;
  /** Undefined when the fence is never closed. */
  readonly close: Line | undefined;
  readonly marker: string;
  readonly indent: number;
  readonly info: string;
  /** Lines between the fences, with up to `indent` leading spaces removed, joined with LF. */
  readonly content: string;
  readonly contentLines: readonly Line[];
}

export interface RawHeading {
  readonly line: Line;
  readonly level: number;
  readonly title: string;
}

export interface ScanResult {
  readonly fences: readonly RawFence[];
  readonly headings: readonly RawHeading[];
}

const BACKTICK = 96;
const TILDE = 126;
const HASH = 35;
const NESTING_LANGS = new Set(['markdown', 'md', 'maml', 'maml.md']);
const LONGEST_NESTING_LANG = 8;
const OPEN_BRACE = 123;

/** Space or tab: what a heading's `[ \t]` matches. */
function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

/**
 * An ATX heading: what `/^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/` matches (level and trimmed title),
 * read by hand: that expression backtracks over every run of spaces or tabs inside the title, so a long run took
 * time quadratic in its length. Returns undefined for a line that is not a heading (as `.` in the expression, a
 * lone CR or a Unicode line separator in the line makes it none).
 */
export function readHeading(text: string): { level: number; title: string } | undefined {
  let i = 0;
  while (i < 3 && text.charCodeAt(i) === 32) i++;
  let j = i;
  while (j < text.length && text.charCodeAt(j) === HASH) j++;
  const level = j - i;
  if (level < 1 || level > 6) return undefined;
  if (j < text.length && !isBlank(text.charCodeAt(j))) return undefined;
  for (let k = j; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c === 13 || c === 0x2028 || c === 0x2029) return undefined;
  }
  // The title runs from after the blanks to before trailing blanks, less a closing run of `#` with a blank before
  // it inside the title (the blanks after the opening `#`s are not the title's); then it is trimmed as `trim` does.
  let start = j;
  while (start < text.length && isBlank(text.charCodeAt(start))) start++;
  let end = text.length;
  while (end > start && isBlank(text.charCodeAt(end - 1))) end--;
  let hashes = end;
  while (hashes > start && text.charCodeAt(hashes - 1) === HASH) hashes--;
  if (hashes < end && hashes > start && isBlank(text.charCodeAt(hashes - 1))) {
    end = hashes;
    while (end > start && isBlank(text.charCodeAt(end - 1))) end--;
  }
  return { level, title: text.slice(start, end).trim() };
}

/**
 * An opening fence: what `/^( {0,3})(`{3,}|~{3,})(.*)$/` matches (the rest may hold no line terminator, which
 * `.` does not match), read by hand because it runs on every fence line.
 */
function openFence(text: string): { indent: number; marker: string; rest: string } | undefined {
  let i = 0;
  while (i < 3 && text.charCodeAt(i) === 32) i++;
  const c = text.charCodeAt(i);
  if (c !== BACKTICK && c !== TILDE) return undefined;
  let j = i + 1;
  while (text.charCodeAt(j) === c) j++;
  if (j - i < 3) return undefined;
  const rest = text.slice(j);
  // Lines never hold `\n` (they are split on it); a lone CR or a Unicode line separator ends the match.
  if (rest.includes('\r') || rest.includes('\u2028') || rest.includes('\u2029')) return undefined;
  return { indent: i, marker: text.slice(i, j), rest };
}

/** Length of the bare fence (`/^ {0,3}(`{3,}|~{3,})[ \t]*$/`) on this line made of `char`, or 0 when there is none. */
function closingLength(text: string, char: number): number {
  let i = 0;
  while (i < 3 && text.charCodeAt(i) === 32) i++;
  const c = text.charCodeAt(i);
  if (c !== BACKTICK && c !== TILDE) return 0;
  let j = i + 1;
  while (text.charCodeAt(j) === c) j++;
  if (j - i < 3) return 0;
  for (let k = j; k < text.length; k++) {
    const d = text.charCodeAt(k);
    if (d !== 32 && d !== 9) return 0;
  }
  return c === char ? j - i : 0;
}

function stripIndent(text: string, indent: number): string {
  let i = 0;
  while (i < indent && text.charCodeAt(i) === 32) i++;
  return text.slice(i);
}

/** First non-space character code of a line if it is indented at most three spaces, else -1. */
function leadChar(text: string): number {
  for (let i = 0; i < 4 && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32) return c;
  }
  return -1;
}

/** The fence's content: text between the fences with the opening indent removed, always with LF line ends. */
function fenceContent(text: string, contentLines: readonly Line[], indent: number): string {
  const first = contentLines[0];
  const last = contentLines[contentLines.length - 1];
  if (!first || !last) return '';
  if (indent > 0) return contentLines.map((l) => stripIndent(l.text, indent)).join('\n') + '\n';
  const raw = text.slice(first.offset, last.offset + last.text.length);
  return (raw.includes('\r') ? raw.replace(/\r\n/g, '\n') : raw) + '\n';
}

export function scanBody(text: string, lines: readonly Line[]): ScanResult {
  const fences: RawFence[] = [];
  const headings: RawHeading[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] as Line;
    const lead = leadChar(line.text);
    if (lead !== BACKTICK && lead !== TILDE && lead !== HASH) {
      i++;
      continue;
    }
    const open = lead === HASH ? undefined : openFence(line.text);
    if (open && !(lead === BACKTICK && open.rest.includes('`'))) {
      const { indent, marker } = open;
      const markerChar = marker.charCodeAt(0);
      const info = open.rest.trim();
      const word = firstWord(info, OPEN_BRACE);
      const nests = word.length <= LONGEST_NESTING_LANG && NESTING_LANGS.has(word.toLowerCase());
      // Lengths of fences opened inside a nesting (markdown) fence and not yet closed.
      const inner: number[] = [];
      let j = i + 1;
      let close: Line | undefined;
      for (; j < lines.length; j++) {
        const t = (lines[j] as Line).text;
        const c = leadChar(t);
        if (c !== BACKTICK && c !== TILDE) continue;
        const bare = closingLength(t, markerChar);
        if (bare > 0) {
          const top = inner[inner.length - 1];
          if (top !== undefined && bare >= top && (bare < marker.length || top === marker.length)) {
            inner.pop();
            continue;
          }
          if (bare >= marker.length) {
            close = lines[j];
            break;
          }
        } else if (nests) {
          const m = openFence(t);
          if (m && m.marker.charCodeAt(0) === markerChar && m.rest.trim() !== '') inner.push(m.marker.length);
        }
      }
      const contentLines = lines.slice(i + 1, j);
      fences.push({
        open: line,
        close,
        marker,
        indent,
        info,
        content: fenceContent(text, contentLines, indent),
        contentLines,
      });
      i = close ? j + 1 : lines.length;
      continue;
    }
    const heading = lead === HASH ? readHeading(line.text) : undefined;
    if (heading) headings.push({ line, level: heading.level, title: heading.title });
    i++;
  }
  return { fences, headings };
}

/** The first fence that opens after `after` and before `before` (fences are in document order), by binary search. */
export function fenceBetween(fences: readonly RawFence[], after: number, before: number): RawFence | undefined {
  let lo = 0;
  let hi = fences.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((fences[mid] as RawFence).open.offset <= after) lo = mid + 1;
    else hi = mid;
  }
  const f = fences[lo];
  return f && f.open.offset < before ? f : undefined;
}
