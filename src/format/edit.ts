/**
 * Edits that keep the rest of the document byte-for-byte: appending History entries and changing front matter.
 * Each returns the new text; the caller re-parses when it needs the model.
 */
import type { MamlDocument } from './document.js';
import { isSpace } from './whitespace.js';

export interface NewHistoryEntry {
  readonly time: Date | string;
  readonly action: string;
  readonly text: string;
}

function isoSeconds(time: Date | string): string {
  if (typeof time === 'string') return time;
  return time.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// `text` with each run of whitespace that holds a line break folded to one space, as a global replace of
// `\s*[\r\n]+\s*` with ' ' gives, without that expression's rescans of long runs of spaces.
function foldLines(text: string): string {
  if (!/[\r\n]/.test(text)) return text;
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (!isSpace(c)) {
      out += text[i];
      i++;
      continue;
    }
    // A run of whitespace: folded when it holds a line break, kept as written otherwise.
    let j = i;
    let breaks = false;
    while (j < text.length && isSpace(text.charCodeAt(j))) {
      const d = text.charCodeAt(j);
      if (d === 10 || d === 13) breaks = true;
      j++;
    }
    out += breaks ? ' ' : text.slice(i, j);
    i = j;
  }
  return out;
}

/** `- 2025-01-01T12:00:00Z: [EXECUTE] text`, with newlines in text folded to spaces (one entry, one line). */
export function formatHistoryLine(entry: NewHistoryEntry): string {
  return `- ${isoSeconds(entry.time)}: [${entry.action.toUpperCase()}] ${foldLines(entry.text)}`;
}

/**
 * Appends entries at the end of `## History` (after its last non-blank line), creating the section at the end of
 * the document when there is none. Uses the document's own line ending.
 */
export function appendHistory(doc: MamlDocument, entries: readonly NewHistoryEntry[]): string {
  if (entries.length === 0) return doc.text;
  const eol = doc.lineEnding;
  const lines = entries.map(formatHistoryLine).join(eol) + eol;
  const section = doc.sections.find((s) => s.name === 'history');
  const text = doc.text;
  if (!section) {
    let head = text;
    if (head.length > 0 && !head.endsWith('\n')) head += eol;
    const gap = head.length === 0 || head.endsWith(`${eol}${eol}`) || head.endsWith('\n\n') ? '' : eol;
    return `${head}${gap}## History${eol}${lines}`;
  }
  // Insert after the section's last non-blank character's line.
  let end = section.span.end.offset;
  while (end > section.heading.end.offset && /\s/.test(text[end - 1] ?? '')) end--;
  const lineEnd = text.indexOf('\n', end);
  const insertAt = lineEnd === -1 ? text.length : lineEnd + 1;
  const prefix = text.slice(0, insertAt);
  const needsBreak = prefix.length > 0 && !prefix.endsWith('\n');
  return `${prefix}${needsBreak ? eol : ''}${lines}${text.slice(insertAt)}`;
}

/**
 * Sets (or, with `undefined`, removes) a top-level front matter key through the YAML document, so comments and
 * the other keys' layout survive. Returns undefined when the document has no readable front matter.
 */
export function setFrontMatter(doc: MamlDocument, key: string, value: unknown): string | undefined {
  const fm = doc.frontMatter;
  if (!fm?.yaml || fm.value === undefined) return undefined;
  const yaml = fm.yaml.clone();
  if (value === undefined) yaml.delete(key);
  else yaml.set(key, value);
  let source = yaml.toString({ lineWidth: 0, flowCollectionPadding: false });
  if (doc.lineEnding === '\r\n') source = source.replace(/\r?\n/g, '\r\n');
  return doc.text.slice(0, fm.sourceOffset) + source + doc.text.slice(fm.sourceOffset + fm.source.length);
}
