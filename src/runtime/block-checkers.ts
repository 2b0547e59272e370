/**
 * The static checks validation runs on code blocks, by language: OpenQASM programs are parsed and checked before
 * anything runs, so an undefined gate is a diagnostic at its document line, and their `backend=`/`precision=`
 * attributes are checked against the Node backend registry's catalog (the names and precisions of the
 * backends a block runs with, without loading them), so `backend=gpu` is a
 * diagnostic at the attribute. Every caller of `validateDocument` that decides whether a document may run (the
 * planner, `maml validate`, the gateway's validation) passes this one map, so they agree.
 */
import type { BlockCheckers } from '../format/index.js';
import { checkSimulatorAttributes } from '../quantum/backends/check-attributes.js';
import { checkQasmBlock } from '../quantum/qasm/index.js';
import { NODE_BACKEND_CATALOG } from '../quantum-node/backend-catalog.js';

export const BLOCK_CHECKERS: BlockCheckers = {
  qasm: (code, budget, attributes) => ({
    ...checkQasmBlock(code, budget),
    attributes: checkSimulatorAttributes(attributes, NODE_BACKEND_CATALOG),
  }),
};
