/**
 * What the crypto commands (encrypt, decrypt, verify, scan) need from a document, read with the MAML parser:
 * the front matter block as written, the body, the front matter fields and where each is written, the History
 * `[TICKET]` lines with their positions, and each block's source by id (the same text the runtime hashes).
 */
import { looksLikeTicketLine, parseTicketLine, type HistoryTicketLine } from '../crypto/index.js';
import { LineIndex, parse, type MamlDocument } from '../format/index.js';
import type { Point } from '../shared/index.js';

export interface DocumentView {
  readonly doc: MamlDocument;
  /** Front matter block verbatim, delimiters and final line ending included; '' when there is none. */
  readonly frontMatter: string;
  readonly body: string;
  readonly fields: Readonly<Record<string, unknown>>;
  /** Where each top-level front-matter key is written. */
  readonly fieldPlaces: ReadonlyMap<string, Point>;
  readonly historyPlace: Point | undefined;
  readonly tickets: readonly HistoryTicketLine[];
  /** Block id → source, for every block in a task position. */
  readonly blocks: ReadonlyMap<string, string>;
}

/** Splits front matter from body at the end of the closing `---` line (its line ending stays with the front matter). */
export function splitFrontMatter(text: string): { frontMatter: string; body: string } {
  const fm = parse(text).frontMatter;
  if (!fm) return { frontMatter: '', body: text };
  let end = fm.span.end.offset;
  if (text[end] === '\r') end++;
  if (text[end] === '\n') end++;
  return { frontMatter: text.slice(0, end), body: text.slice(end) };
}

export function readDocumentView(text: string): DocumentView {
  const doc = parse(text);
  const { frontMatter, body } = splitFrontMatter(text);
  const fieldPlaces = new Map<string, Point>();
  for (const key of Object.keys(doc.frontMatter?.value ?? {})) {
    const place = doc.frontMatter?.places.get(`/${key}#key`);
    if (place) fieldPlaces.set(key, place.start);
  }
  const history = doc.sections.find((s) => s.name === 'history');
  const tickets: HistoryTicketLine[] = [];
  if (history) {
    const index = new LineIndex(text);
    let offset = history.bodyOffset;
    for (const raw of history.body.split('\n')) {
      const line = raw.replace(/\r$/, '');
      if (looksLikeTicketLine(line)) {
        const parsed = parseTicketLine(line);
        tickets.push({ compact: parsed?.compact ?? line, parsed: parsed !== undefined, place: index.point(offset) });
      }
      offset += raw.length + 1;
    }
  }
  const blocks = new Map<string, string>();
  for (const block of doc.blocks) if (!blocks.has(block.id)) blocks.set(block.id, block.code);
  return {
    doc,
    frontMatter,
    body,
    fields: doc.frontMatter?.value ?? {},
    fieldPlaces,
    historyPlace: history?.heading.start,
    tickets,
    blocks,
  };
}
