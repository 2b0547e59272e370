/** Maps 0-based offsets in a text to 1-based line/column points, by binary search over line starts. */
import type { Point, Span } from '../shared/diagnostic.js';

export class LineIndex {
  readonly #starts: number[];
  readonly #length: number;

  constructor(text: string) {
    const starts = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    this.#starts = starts;
    this.#length = text.length;
  }

  get lineCount(): number {
    return this.#starts.length;
  }

  /** Offset of the first character of a 1-based line. */
  lineStart(line: number): number {
    return this.#starts[Math.min(Math.max(line, 1), this.#starts.length) - 1] ?? 0;
  }

  point(offset: number): Point {
    const at = Math.min(Math.max(offset, 0), this.#length);
    let lo = 0;
    let hi = this.#starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.#starts[mid] ?? 0) <= at) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: at - (this.#starts[lo] ?? 0) + 1, offset: at };
  }

  span(start: number, end: number): Span {
    return { start: this.point(start), end: this.point(end) };
  }
}
