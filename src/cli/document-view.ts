/**
 * What the crypto commands (encrypt, decrypt, verify, scan) need from a document, read with the MAML parser:
 * the front matter block as written, the body, the front matter fields and where each is written, the History
 * `[TICKET]`, `[EXECUTE]` and `[REGENERATE]` lines with their positions, and each block's source by id (the same
 * text the runtime hashes) with its language, attributes hash and upstream blocks (what version 2 tickets bind).
 */
import {
  hashAttributes,
  historyEntry,
  looksLikeTicketLine,
  parseExecuteText,
  parseHistoryTicket,
  type BlockFacts,
  type HistoryExecuteLine,
  type HistoryRegenerateLine,
  type HistoryTicketLine,
} from '../crypto/index.js';
import { LineIndex, buildGraph, parse, type MamlDocument } from '../format/index.js';
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
  readonly executes: readonly HistoryExecuteLine[];
  readonly regenerates: readonly HistoryRegenerateLine[];
  /** Block id → source, for every block in a task position. */
  readonly blocks: ReadonlyMap<string, string>;
  /** Block id → language, attributes hash and upstream ids (graph order), for every block in a task position. */
  readonly facts: ReadonlyMap<string, BlockFacts>;
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
  const executes: HistoryExecuteLine[] = [];
  const regenerates: HistoryRegenerateLine[] = [];
  if (history) {
    const index = new LineIndex(text);
    let offset = history.bodyOffset;
    for (const raw of history.body.split('\n')) {
      const line = raw.replace(/\r$/, '');
      const place = (): ReturnType<LineIndex['point']> => index.point(offset);
      if (looksLikeTicketLine(line)) {
        const parsed = parseHistoryTicket(line);
        if (parsed?.logRef) tickets.push({ compact: '', parsed: true, logRef: parsed.logRef, place: place() });
        else tickets.push({ compact: parsed?.compact ?? line, parsed: parsed !== undefined, place: place() });
      } else {
        const entry = historyEntry(line);
        if (entry?.action === 'EXECUTE') {
          const { text: lineText, compact, logRef } = parseExecuteText(entry.text);
          executes.push({
            text: lineText,
            place: place(),
            ...(compact === undefined ? {} : { record: compact }),
            ...(logRef === undefined ? {} : { logRef }),
          });
        } else if (entry?.action === 'REGENERATE') regenerates.push({ text: entry.text, place: place() });
      }
      offset += raw.length + 1;
    }
  }
  const blocks = new Map<string, string>();
  for (const block of doc.blocks) if (!blocks.has(block.id)) blocks.set(block.id, block.code);
  const upstream = buildGraph(doc).upstream;
  const facts = new Map<string, BlockFacts>();
  for (const block of doc.blocks)
    if (!facts.has(block.id))
      facts.set(block.id, {
        lang: block.lang,
        attrsHash: hashAttributes(block.attributes),
        upstream: upstream.get(block.id) ?? [],
      });
  return {
    doc,
    frontMatter,
    body,
    fields: doc.frontMatter?.value ?? {},
    fieldPlaces,
    historyPlace: history?.heading.start,
    tickets,
    executes,
    regenerates,
    blocks,
    facts,
  };
}
