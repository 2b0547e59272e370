/**
 * Runs the caller's block checkers (block-checker.ts) on the blocks that would run, so that an OpenQASM program
 * with an undefined gate is reported by `validate`, at its line and column in the document, instead of failing
 * when it runs. A checker's positions are in the block's code; they are moved past the opening fence and the
 * indentation the fence stripped.
 */
import type { Diagnostic, Point, Span } from '../../shared/diagnostic.js';
import { MAX_CHECK_WORK, MAX_CHECKED_CODE } from '../block-checker.js';
import type { CodeBlock } from '../document.js';
import type { Finding, Rule } from '../rule.js';

/** Maps positions in a block's code to positions in the document text. */
class CodePlaces {
  readonly #starts: number[] = [];
  readonly #indent: number;

  constructor(
    private readonly text: string,
    private readonly block: CodeBlock,
  ) {
    let indent = 0;
    while (indent < 3 && text.charCodeAt(block.offset + indent) === 32) indent++;
    this.#indent = indent;
    // One start per line of the code (it ends with a line break per line).
    let lines = 0;
    for (let i = block.code.indexOf('\n'); i !== -1; i = block.code.indexOf('\n', i + 1)) lines++;
    for (let at = block.codeStart.offset; this.#starts.length < lines;) {
      this.#starts.push(at);
      const nl = text.indexOf('\n', at);
      if (nl === -1) break;
      at = nl + 1;
    }
    if (this.#starts.length === 0) this.#starts.push(block.codeStart.offset);
  }

  point(line: number, column: number): Point {
    const i = Math.min(Math.max(line, 1), this.#starts.length) - 1;
    const start = this.#starts[i] as number;
    // The fence's indentation was removed from the code, as far as each line had it.
    let stripped = 0;
    while (stripped < this.#indent && this.text.charCodeAt(start + stripped) === 32) stripped++;
    return {
      line: this.block.codeStart.line + i,
      column: Math.max(1, column) + stripped,
      offset: start + stripped + Math.max(0, column - 1),
    };
  }
}

/** Where `name=` stands in the block's opening fence line; the fence itself when it cannot be found. */
function attributePlace(text: string, block: CodeBlock, name: string): Span {
  const start = block.span.start;
  const lineStart = start.offset - (start.column - 1);
  const lineEnd = text.indexOf('\n', lineStart);
  const line = text.slice(lineStart, lineEnd === -1 ? text.length : lineEnd);
  const at = new RegExp(`(^|[\\s{])(${name.replace(/[^\w-]/g, '')})=`).exec(line);
  if (!at) return block.span;
  const column = at.index + (at[1] ?? '').length + 1;
  const point = (c: number): Point => ({ line: start.line, column: c, offset: lineStart + c - 1 });
  const value = /^=("[^"]*"|'[^']*'|[^\s}]*)/.exec(line.slice(column - 1 + name.length));
  return { start: point(column), end: point(column + name.length + (value?.[0].length ?? 1)) };
}

const LANGUAGE_NAMES: Readonly<Record<string, string>> = { qasm: 'OpenQASM' };

export const blockCode: Rule = {
  id: 'block-code',
  description: "Blocks pass the checks of their language's checker (OpenQASM, when the caller provides one).",
  check(ctx) {
    const findings: Finding[] = [];
    let checked = 0;
    let work = 0;
    let skipped = 0;
    let firstSkipped: CodeBlock | undefined;
    for (const block of ctx.doc.blocks) {
      const checker = ctx.blockCheckers[block.lang];
      if (!checker || !block.executable) continue;
      if (checked + block.code.length > MAX_CHECKED_CODE || work >= MAX_CHECK_WORK) {
        skipped++;
        firstSkipped ??= block;
        continue;
      }
      checked += block.code.length;
      const result = checker(block.code, MAX_CHECK_WORK - work, block.attributes);
      work += result.work;
      if (!result.complete) {
        skipped++;
        firstSkipped ??= block;
      }
      const name = LANGUAGE_NAMES[block.lang] ?? block.lang;
      for (const a of result.attributes ?? []) {
        findings.push({
          code: a.code,
          severity: a.severity,
          message: `${name} block \`${block.id}\`: ${a.message}`,
          place: attributePlace(ctx.doc.text, block, a.attribute),
        });
      }
      const found: readonly Diagnostic[] = result.diagnostics;
      if (found.length === 0) continue;
      const places = new CodePlaces(ctx.doc.text, block);
      for (const d of found) {
        const start = places.point(d.line, d.column);
        const end = d.end ? places.point(d.end.line, d.end.column) : start;
        findings.push({
          code: d.code,
          severity: d.severity,
          message: `${name} block \`${block.id}\`: ${d.message}`,
          place: { start, end },
          ruleId: d.ruleId,
          source: d.source,
        });
      }
    }
    if (firstSkipped) {
      findings.push({
        code: 'block_not_checked',
        severity: 'info',
        message: `${skipped} ${skipped === 1 ? 'block was' : 'blocks were'} not checked here (or not to the end): the document has more than ${MAX_CHECKED_CODE / 1024} KiB of code, or more work (loops unrolled) than validation spends on a document; ${skipped === 1 ? 'it is' : 'they are'} checked when ${skipped === 1 ? 'it runs' : 'they run'}.`,
        place: firstSkipped.span,
      });
    }
    return findings;
  },
};
