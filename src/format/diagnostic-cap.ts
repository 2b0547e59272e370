/**
 * Collects diagnostics with a ceiling per code. A document of ten million short lines can be ten million invalid
 * History entries; listing them all would make the report (and the memory behind it) hundreds of times larger than
 * the document. Past the ceiling a code's diagnostics are counted, not kept, and one `too_many_diagnostics` note
 * per code says how many were left out.
 */
import { diagnostic, type Diagnostic } from '../shared/diagnostic.js';

/** Diagnostics of one code listed per document (docs/spec/maml.md §8). */
export const MAX_DIAGNOSTICS_PER_CODE = 1000;

export class DiagnosticCap {
  readonly #kept: Diagnostic[] = [];
  readonly #count = new Map<string, number>();
  /** The first diagnostic left out, by code: where the summary is placed, and its severity. */
  readonly #firstOmitted = new Map<string, Diagnostic>();

  constructor(readonly max: number = MAX_DIAGNOSTICS_PER_CODE) {}

  add(d: Diagnostic): void {
    const n = (this.#count.get(d.code) ?? 0) + 1;
    this.#count.set(d.code, n);
    if (n <= this.max) this.#kept.push(d);
    else if (n === this.max + 1) this.#firstOmitted.set(d.code, d);
  }

  addAll(list: Iterable<Diagnostic>): void {
    for (const d of list) this.add(d);
  }

  /** The kept diagnostics, then one summary per code that went over the ceiling. */
  list(): Diagnostic[] {
    const out = this.#kept.slice();
    for (const [code, first] of this.#firstOmitted) {
      const omitted = (this.#count.get(code) ?? 0) - this.max;
      out.push(
        diagnostic({
          code: 'too_many_diagnostics',
          severity: first.severity,
          message: `${omitted} more \`${code}\` ${omitted === 1 ? 'diagnostic is' : 'diagnostics are'} not listed (the first ${this.max} are); fix those and validate again.`,
          place: { line: first.line, column: first.column, offset: first.offset },
          ruleId: 'limits',
          source: 'maml',
        }),
      );
    }
    return out;
  }
}
