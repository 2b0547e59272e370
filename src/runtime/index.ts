// Public exports of the runtime (Node only): task specs, the sandbox, executors, heads, scheduler and run database.
export * from './task-spec.js';
export { MAX_TIMER_MS, formatDuration, parseDuration } from './duration.js';
export {
  DEFAULT_RUN_LIMITS,
  MAX_CONCURRENCY,
  RUN_LIMIT_KEYS,
  compileRunLimits,
  formatSize,
  parseSize,
  taskLimits,
} from './run-limits.js';
export type { RunLimitKey, RunLimitSettings, RunLimits } from './run-limits.js';
export { BLOCK_CHECKERS } from './block-checkers.js';
export { MAX_OUTPUT_DEPTH, checkOutputs, jsonProblem, shortPath, storable } from './output-check.js';
export * from './sandbox/index.js';
export * from './executors/index.js';
export * from './heads/index.js';
export * from './db/index.js';
export * from './scheduler/index.js';
export * from './run-events.js';
export * from './tickets/index.js';
export { compileRuntimeOptions } from './runtime-options.js';
export type { RuntimeOptions, RuntimeSettings } from './runtime-options.js';
export { openRunStore, openRuntime, policyFor } from './open-runtime.js';
export { MAX_BASELINE_DOCUMENTS, loadScanBaseline } from './scan-baseline.js';
export type { Runtime, RuntimeHooks } from './open-runtime.js';
export * from './federated/index.js';
export * from './quantum-calls/index.js';
