// Public exports of the scheduler: plan a run once (planRun), carry the plan out (executePlan), and the pieces.
export { planRun } from './plan-run.js';
export { RUN_PLAN_VERSION } from './run-plan.js';
export type {
  PlanRefusal,
  PlanResult,
  PlannedBlock,
  RunPlan,
  RunPolicy,
  RunRequest,
  SandboxAvailability,
} from './run-plan.js';
export { executePlan } from './execute-plan.js';
export type { ExecuteServices, RunReport } from './execute-plan.js';
export { headsOf, sandboxAvailability } from './run-policy.js';
export { planRefusalError, runWorkflow } from './run-workflow.js';
export type { RunWorkflowOptions } from './run-workflow.js';
export {
  DEFAULT_IDENTITY,
  checkExecutePermission,
  executeRefusal,
  identityMatches,
  networkPermission,
} from './permissions.js';
export { checkWorkflowInputs, mergeInputs, parseInputPairs, resolveWorkflowInputs } from './inputs.js';
export { cacheKey, canonicalJson } from './cache-key.js';
export { DEFAULT_SCAN_GATE, riskGate, riskMessage, scanRisk } from './risk-gate.js';
export type { RiskAccepted, ScanGate } from './risk-gate.js';
export { checkBlockLimits } from './block-limits.js';
export { loadResumeState } from './resume-state.js';
export type { DoneBlock, ResumeState } from './resume-state.js';
export { documentHash } from './document-hash.js';
export { prepareResume } from './prepare-resume.js';
export type { PreparedResume } from './prepare-resume.js';
