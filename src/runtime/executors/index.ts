// Public exports of the executors: one per language, the registry, and the injected-engine types.
export type { Executor, ExecutorContext, QasmEngine, QasmOptions, QasmRun } from './executor.js';
export { RunResources } from './run-resources.js';
export type { RunResource } from './run-resources.js';
export { EXECUTORS, executorFor } from './registry.js';
export { bindNamedParameters } from './sql/named-parameters.js';
export { parseReport, extractStdoutOutputs } from './outputs.js';
