/** Splits text into lines, keeping each line's offset and its terminator, without copying the text twice. */

export interface Line {
  /** Content without the terminator (`\n` or `\r\n`). */
  readonly text: string;
  readonly offset: number;
  /** Offset just past the terminator (or the end of text). */
  readonly next: number;
  /** 1-based. */
  readonly number: number;
}

export function splitLines(text: string, from = 0, firstLine = 1): Line[] {
  const lines: Line[] = [];
  let offset = from;
  let number = firstLine;
  while (offset < text.length) {
    const nl = text.indexOf('\n', offset);
    const end = nl === -1 ? text.length : nl;
    const contentEnd = end > offset && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    lines.push({ text: text.slice(offset, contentEnd), offset, next: nl === -1 ? end : nl + 1, number });
    offset = nl === -1 ? end : nl + 1;
    number++;
  }
  return lines;
}
