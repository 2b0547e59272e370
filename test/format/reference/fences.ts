// Reference implementation (the regex-based fence reader this project used before the hand-written one), kept
// for the differential test in ../fast-paths.test.ts.
/**
 * Finds fenced code blocks and top-level headings in the Markdown body, following CommonMark's fence rules: an
 * opening fence of three or more backticks or tildes (indented at most three spaces), closed by a bare fence of
 * the same character that is at least as long. Inside a `markdown`/`md`/`maml` fence, fences that carry an info
 * string nest and a bare fence closes the innermost one, so example documents shown inside a document are not
 * mistaken for its own blocks even when written with fences of equal length.
 */
import type { Line } from '../../../src/format/lines.js';

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

const OPEN = /^( {0,3})(`{3,}|~{3,})(.*)$/;
const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const NESTING_LANGS = new Set(['markdown', 'md', 'maml', 'maml.md']);

/** Length of the bare fence on this line made of `char`, or 0 when the line is not one. */
function closingLength(text: string, char: string): number {
  const m = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(text);
  return m?.[1] !== undefined && m[1][0] === char ? m[1].length : 0;
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

const BACKTICK = 96;
const TILDE = 126;
const HASH = 35;

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
    const open = lead === HASH ? null : OPEN.exec(line.text);
    if (open && !(open[2]?.[0] === '`' && open[3]?.includes('`'))) {
      const indent = (open[1] ?? '').length;
      const marker = open[2] ?? '```';
      const info = (open[3] ?? '').trim();
      const nests = NESTING_LANGS.has(info.split(/[\s{]/)[0]?.toLowerCase() ?? '');
      // Lengths of fences opened inside a nesting (markdown) fence and not yet closed.
      const inner: number[] = [];
      let j = i + 1;
      let close: Line | undefined;
      for (; j < lines.length; j++) {
        const t = (lines[j] as Line).text;
        const c = leadChar(t);
        if (c !== BACKTICK && c !== TILDE) continue;
        const bare = closingLength(t, marker[0] ?? '`');
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
          const m = OPEN.exec(t);
          if (m && m[2]?.[0] === marker[0] && (m[3] ?? '').trim() !== '') inner.push(m[2]?.length ?? 3);
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
    const heading = lead === HASH ? HEADING.exec(line.text) : null;
    if (heading) headings.push({ line, level: (heading[1] ?? '#').length, title: (heading[2] ?? '').trim() });
    i++;
  }
  return { fences, headings };
}
