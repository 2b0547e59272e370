/**
 * Checkers of a block's code, injected by the caller: the format area knows documents, not languages, and the
 * areas that do (quantum for OpenQASM) sit beside it, not below it. A caller that can import both passes them to
 * `validateDocument(doc, { blockCheckers: { qasm: checkQasmBlock } })`; the `block-code` rule runs them on the
 * blocks that would run and moves their diagnostics to the document's lines and columns.
 */
import type { Diagnostic } from '../shared/diagnostic.js';

/**
 * Checks the code of one block. Positions in the result are the code's own: line 1 is the line after the opening
 * fence, with the fence's indentation removed and line ends as LF. It must not throw and should take time linear
 * in the code.
 */
export type BlockChecker = (code: string) => readonly Diagnostic[];

/** Checkers by normalized language (`qasm`, `python`, …). */
export type BlockCheckers = Readonly<Partial<Record<string, BlockChecker>>>;

/**
 * Code passed to checkers per document, in characters. Past it the remaining blocks are counted, not checked (they
 * are checked when they run), so a document of thousands of blocks costs validation no more than this much checking.
 */
export const MAX_CHECKED_CODE = 256 * 1024;
