/**
 * The GPU consumes the pass plan every state-vector backend shares (src/quantum/sim/pass-plan.ts); this module
 * keeps the GPU area's import path.
 */
export {
  coverSets,
  MAX_TILE_GATE_QUBITS,
  MAX_TILE_SELECTORS,
  planPassCount,
  planPasses,
  tileWidth,
} from '../quantum/sim/pass-plan.js';
export type { PassPlanOptions, PlannedPass, TileGate } from '../quantum/sim/pass-plan.js';
