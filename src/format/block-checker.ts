/**
 * Checkers of a block's code, injected by the caller: the format area knows documents, not languages, and the
 * areas that do (quantum for OpenQASM) sit beside it, not below it. A caller that can import both passes them to
 * `validateDocument(doc, { blockCheckers: { qasm: checkQasmBlock } })`; the `block-code` rule runs them on the
 * blocks that would run and moves their diagnostics to the document's lines and columns.
 */
import type { Diagnostic } from '../shared/diagnostic.js';

/** What a checker found in one block, and how much of the document's work budget it spent. */
export interface BlockCheck {
  /** Positions are the code's own: line 1 is the line after the opening fence, indentation removed, LF endings. */
  readonly diagnostics: readonly Diagnostic[];
  /** Work units spent (the checker's own measure: for OpenQASM, operations and loop iterations lowered). */
  readonly work: number;
  /** False when the checker stopped at its budget before the end of the code (what it found is still reported). */
  readonly complete: boolean;
  /** Problems with the block's attributes (`backend=` of an OpenQASM block…), placed at the attribute in the fence. */
  readonly attributes?: readonly AttributeFinding[];
}

export interface AttributeFinding {
  /** The attribute's name as written before `=`. */
  readonly attribute: string;
  readonly code: string;
  readonly severity: 'error' | 'warning' | 'info';
  readonly message: string;
}

/**
 * Checks the code of one block within `budget` work units. It must not throw, and its time must be bounded by the
 * code's length and the budget: a loop of a million iterations in a few lines is stopped at the budget, not run.
 */
export type BlockChecker = (code: string, budget: number, attributes: Readonly<Record<string, string>>) => BlockCheck;

/** Checkers by normalized language (`qasm`, `python`, …). */
export type BlockCheckers = Readonly<Partial<Record<string, BlockChecker>>>;

/**
 * Code passed to checkers per document, in characters. Past it the remaining blocks are counted, not checked (they
 * are checked when they run), so a document of thousands of blocks costs validation no more than this much checking.
 */
export const MAX_CHECKED_CODE = 256 * 1024;

/**
 * Work units checkers may spend per document, shared by its blocks (for OpenQASM about 0.1 s here: loops are
 * unrolled to check their bodies). A block the budget does not cover is checked when it runs.
 */
export const MAX_CHECK_WORK = 20_000;
