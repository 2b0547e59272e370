// Public exports of the executors: one per language, the registry, their declarations and the injected-engine types.
export type {
  AttributeProblem,
  AttributeSpec,
  Executor,
  ExecutorContext,
  ExecutorNeeds,
  QasmEngine,
  QasmOptions,
  QasmRun,
} from './executor.js';
export { compileExecutorTools, declaredTools, toolFrom } from './tools.js';
export type { ExecutorTools, ToolSpec } from './tools.js';
export { RunResources } from './run-resources.js';
export type { RunResource } from './run-resources.js';
export { EXECUTORS, executorFor } from './registry.js';
export { bindNamedParameters } from './sql/named-parameters.js';
export { parseReport, extractStdoutOutputs } from './outputs.js';
