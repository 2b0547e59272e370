/**
 * Splits a document into the parts the scan rules look at: front matter, prose (everything outside fences) and
 * fenced code blocks with their language, each with its offset in the text. The cut is the parser's own
 * (`documentRegions`), so a rule sees as code exactly what the gateway would run. History [TICKET] lines and
 * encrypted-body armor are marked so rules can skip the base64 that legitimately lives there.
 */
import {
  ENCRYPTED_BODY_BEGIN as ARMOR_BEGIN,
  ENCRYPTED_BODY_END as ARMOR_END,
  documentRegions,
} from '../format/index.js';

export interface Segment {
  readonly kind: 'prose' | 'code' | 'front-matter';
  readonly text: string;
  /** Offset of `text` in the document (UTF-16 code units). */
  readonly offset: number;
  /** Normalized fence language for code (`python`, `sql`, `bash`, …); '' otherwise. */
  readonly lang: string;
}

export function segmentDocument(text: string): Segment[] {
  return documentRegions(text).map((r) => ({
    kind: r.kind,
    text: text.slice(r.start, r.end),
    offset: r.start,
    lang: r.lang,
  }));
}

/**
 * Ranges (absolute offsets, sorted, not overlapping) holding base64 that is expected: [TICKET] lines, the signed
 * run record that ends a full-form [EXECUTE] line (`{record <base64url>.<base64url>}`; the line's text before it
 * is still scanned) and encrypted-body armor. The armor is found with `indexOf`, each BEGIN paired with the next
 * END: a lazy `BEGIN[\s\S]*?END` expression scanned to the end of the text from every BEGIN that has no END.
 */
export function expectedEncodedRanges(text: string): [number, number][] {
  const ranges: [number, number][] = [];
  for (const m of text.matchAll(/^[ \t]*[-*+][ \t]+\S+[ \t]+\[TICKET\][^\n]*$/gm))
    ranges.push([m.index, m.index + m[0].length]);
  for (const m of text.matchAll(
    /^[ \t]*[-*+][ \t]+\S+[ \t]+\[EXECUTE\][^\n]*\{record [A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\}[ \t\r]*$/gm,
  )) {
    const start = m.index + m[0].lastIndexOf(' {record ');
    ranges.push([start, m.index + m[0].length]);
  }
  for (let begin = text.indexOf(ARMOR_BEGIN); begin !== -1;) {
    const end = text.indexOf(ARMOR_END, begin + ARMOR_BEGIN.length);
    if (end === -1) break;
    ranges.push([begin, end + ARMOR_END.length]);
    begin = text.indexOf(ARMOR_BEGIN, end + ARMOR_END.length);
  }
  ranges.sort((a, b) => a[0] - b[0]);
  // Merge overlaps so that a binary search finds the one range around an offset.
  const merged: [number, number][] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}

/** Whether `offset` lies in one of `ranges` (sorted, not overlapping), by binary search. */
export function inRanges(ranges: readonly (readonly [number, number])[], offset: number): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [s, e] = ranges[mid] as readonly [number, number];
    if (offset < s) hi = mid - 1;
    else if (offset >= e) lo = mid + 1;
    else return true;
  }
  return false;
}
