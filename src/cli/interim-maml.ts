/**
 * INTERIM document reading for the crypto commands (encrypt, decrypt, verify, scan), kept in this one file so it
 * can be replaced wholesale by the real MAML parser (src/format): front matter split, a few front-matter fields,
 * `## History` ticket lines and fenced code blocks (`#id` from the info string, else `block-N`), each with its
 * position. Block source is the lines between the fences, each ending in a newline, as the format parser gives it.
 */
import { parse as parseYaml } from 'yaml';
import { looksLikeTicketLine, parseTicketLine, type HistoryTicketLine } from '../crypto/index.js';
import type { Point } from '../shared/index.js';

export interface InterimLine {
  readonly text: string;
  readonly place: Point;
}

export interface InterimDocument {
  /** Front matter block verbatim, delimiters and final newline included; '' when there is none. */
  readonly frontMatter: string;
  readonly body: string;
  readonly fields: Readonly<Record<string, unknown>>;
  /** Where each top-level front-matter key is written. */
  readonly fieldPlaces: ReadonlyMap<string, Point>;
  readonly historyPlace: Point | undefined;
  readonly tickets: readonly HistoryTicketLine[];
  readonly blocks: ReadonlyMap<string, string>;
  readonly lines: readonly InterimLine[];
}

export function splitLines(text: string): InterimLine[] {
  const out: InterimLine[] = [];
  let offset = 0;
  const parts = text.split('\n');
  parts.forEach((raw, i) => {
    if (i === parts.length - 1 && raw === '') return;
    out.push({ text: raw.replace(/\r$/, ''), place: { line: i + 1, column: 1, offset } });
    offset += raw.length + 1;
  });
  return out;
}

/** Splits `---` front matter from the body; the front matter keeps its delimiters and trailing newline. */
export function splitFrontMatter(text: string): { frontMatter: string; body: string } {
  const lines = splitLines(text);
  if (lines[0]?.text.replace(/^\uFEFF/, '') !== '---') return { frontMatter: '', body: text };
  const close = lines.findIndex((l, i) => i > 0 && (l.text === '---' || l.text === '...'));
  if (close < 0) return { frontMatter: '', body: text };
  const closeLine = lines[close] as InterimLine;
  let end = closeLine.place.offset + closeLine.text.length;
  if (text[end] === '\r') end++;
  if (text[end] === '\n') end++;
  return { frontMatter: text.slice(0, end), body: text.slice(end) };
}

function readFields(
  frontMatter: string,
  lines: readonly InterimLine[],
): { fields: Record<string, unknown>; places: Map<string, Point> } {
  const places = new Map<string, Point>();
  const inner = frontMatter.split('\n').slice(1, -2).join('\n');
  let fields: Record<string, unknown> = {};
  try {
    const parsed = parseYaml(inner) as unknown;
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
      fields = parsed as Record<string, unknown>;
  } catch {
    fields = {};
  }
  const fmLineCount = frontMatter.split('\n').length - 1;
  for (const l of lines.slice(1, fmLineCount)) {
    const m = /^([A-Za-z_][\w-]*)\s*:/.exec(l.text);
    if (m && !places.has(m[1] as string)) places.set(m[1] as string, l.place);
  }
  return { fields, places };
}

export function readInterimDocument(text: string): InterimDocument {
  const { frontMatter, body } = splitFrontMatter(text);
  const lines = splitLines(text);
  const { fields, places } = readFields(frontMatter, lines);
  const fmLines = frontMatter === '' ? 0 : frontMatter.split('\n').length - 1;
  const tickets: HistoryTicketLine[] = [];
  const blocks = new Map<string, string>();
  let section = '';
  let historyPlace: Point | undefined;
  let fence: { marker: string; id: string; content: string[] } | undefined;
  let n = 0;
  for (const line of lines.slice(fmLines)) {
    if (fence) {
      const close = /^\s{0,3}(`{3,}|~{3,})\s*$/.exec(line.text);
      if (close && close[1]?.[0] === fence.marker[0] && (close[1]?.length ?? 0) >= fence.marker.length) {
        if (!blocks.has(fence.id)) blocks.set(fence.id, fence.content.map((c) => `${c}\n`).join(''));
        fence = undefined;
      } else fence.content.push(line.text);
      continue;
    }
    const open = /^\s{0,3}(`{3,}|~{3,})(.*)$/.exec(line.text);
    if (open) {
      n++;
      const id = /#([A-Za-z0-9_.:-]+)/.exec(open[2] ?? '')?.[1] ?? `block-${n}`;
      fence = { marker: open[1] as string, id, content: [] };
      continue;
    }
    const heading = /^##\s+(.+?)\s*#*\s*$/.exec(line.text);
    if (heading) {
      section = (heading[1] as string).trim().toLowerCase();
      if (section === 'history') historyPlace = line.place;
      continue;
    }
    if (section === 'history' && looksLikeTicketLine(line.text)) {
      const parsed = parseTicketLine(line.text);
      tickets.push({ compact: parsed?.compact ?? line.text, parsed: parsed !== undefined, place: line.place });
    }
  }
  return { frontMatter, body, fields, fieldPlaces: places, historyPlace, tickets, blocks, lines };
}
