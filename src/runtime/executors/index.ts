// Public exports of the executors: one per language, the registry, and the injected-engine types.
export type { Executor, ExecutorContext, QasmEngine, QasmOptions, QasmRun, SqlClient } from './executor.js';
export { EXECUTORS, executorFor } from './registry.js';
export { bindNamedParameters } from './sql.js';
export { parseReport, extractStdoutOutputs } from './outputs.js';
