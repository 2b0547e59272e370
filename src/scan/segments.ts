/**
 * Splits a document into the parts the scan rules look at: prose (everything outside fences and front matter)
 * and fenced code blocks with their language, each with its offset in the text. History [TICKET] lines and
 * encrypted-body armor are marked so rules can skip the base64 that legitimately lives there.
 */

export interface Segment {
  readonly kind: 'prose' | 'code' | 'front-matter';
  readonly text: string;
  /** Offset of `text` in the document (UTF-16 code units). */
  readonly offset: number;
  /** Fence language for code, lower-case; '' otherwise. */
  readonly lang: string;
}

export function segmentDocument(text: string): Segment[] {
  const segments: Segment[] = [];
  const lines = text.split('\n');
  let offset = 0;
  let i = 0;
  const push = (kind: Segment['kind'], start: number, end: number, lang = ''): void => {
    if (end > start) segments.push({ kind, text: text.slice(start, end), offset: start, lang });
  };
  const lineEnd = (k: number, at: number): number => at + (lines[k] ?? '').length + 1;
  if (lines[0]?.replace(/^\uFEFF/, '').trimEnd() === '---') {
    const close = lines.findIndex((l, k) => k > 0 && /^(---|\.\.\.)\s*$/.test(l));
    if (close > 0) {
      let end = 0;
      for (let k = 0; k <= close; k++) end = lineEnd(k, end);
      push('front-matter', 0, Math.min(end, text.length));
      offset = Math.min(end, text.length);
      i = close + 1;
    }
  }
  let proseStart = offset;
  while (i < lines.length) {
    const line = lines[i] as string;
    const open = /^\s{0,3}(`{3,}|~{3,})\s*([^\s{`]*)/.exec(line);
    if (!open) {
      offset = lineEnd(i, offset);
      i++;
      continue;
    }
    push('prose', proseStart, offset);
    const marker = open[1] as string;
    const lang = (open[2] ?? '').toLowerCase();
    const codeStart = lineEnd(i, offset);
    let j = i + 1;
    let at = codeStart;
    while (j < lines.length) {
      const close = /^\s{0,3}(`{3,}|~{3,})\s*$/.exec(lines[j] as string);
      if (close && close[1]?.[0] === marker[0] && (close[1]?.length ?? 0) >= marker.length) break;
      at = lineEnd(j, at);
      j++;
    }
    push('code', codeStart, Math.min(at, text.length), lang);
    offset = j < lines.length ? lineEnd(j, at) : at;
    i = j + 1;
    proseStart = Math.min(offset, text.length);
  }
  push('prose', proseStart, text.length);
  return segments;
}

/**
 * Ranges (absolute offsets) holding base64 that is expected: [TICKET] lines, the signed run record that ends a
 * full-form [EXECUTE] line (`{record <base64url>.<base64url>}`; the line's text before it is still scanned) and
 * encrypted-body armor.
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
  for (const m of text.matchAll(/-----BEGIN MAML ENCRYPTED BODY-----[\s\S]*?-----END MAML ENCRYPTED BODY-----/g))
    ranges.push([m.index, m.index + m[0].length]);
  return ranges;
}
