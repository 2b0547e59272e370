/**
 * The static checks validation runs on code blocks, by language: OpenQASM programs are parsed and checked before
 * anything runs, so an undefined gate is a diagnostic at its document line. Every caller of `validateDocument`
 * that decides whether a document may run (the planner, `maml validate`, the gateway's validation) passes this
 * one map, so they agree.
 */
import type { BlockCheckers } from '../format/index.js';
import { checkQasmBlock } from '../quantum/qasm/index.js';

export const BLOCK_CHECKERS: BlockCheckers = { qasm: checkQasmBlock };
