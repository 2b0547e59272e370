// Public exports of the scheduler: run a document, and the pieces it is built from.
export { runWorkflow } from './run-workflow.js';
export type { BlockReport, BlockStatus, RunEvent, RunReport, RunWorkflowOptions } from './run-workflow.js';
export { DEFAULT_IDENTITY, checkExecutePermission, identityMatches, networkPermission } from './permissions.js';
export { mergeInputs, parseInputPairs, resolveWorkflowInputs } from './inputs.js';
export { cacheKey, canonicalJson } from './cache-key.js';
export { riskGate } from './risk-gate.js';
export type { RiskAccepted } from './risk-gate.js';
export { checkBlockLimits } from './block-limits.js';
