/**
 * What planRun decides and executePlan carries out: plain data (it survives `JSON.parse(JSON.stringify(plan))`),
 * so a plan can be stored, sent to another process or machine, and run there. It names executors by language
 * only; the executor is looked up when the block runs.
 */
import type { HistoryForm } from '../../crypto/index.js';
import type { FairnessPolicy } from '../../fairness/index.js';
import type { Diagnostic } from '../../shared/index.js';
import type { ErrorCode } from '../../shared/index.js';
import type { RunLimits } from '../run-limits.js';
import type { QuantumPermission } from '../task-spec.js';
import type { RiskAccepted, ScanGate } from './risk-gate.js';

export const RUN_PLAN_VERSION = 1;

export interface PlannedBlock {
  readonly id: string;
  readonly lang: string;
  readonly source: string;
  /** Where the executor runs it: on a head of `headClass` (or the head `headName`), or in the scheduler itself. */
  readonly placement: 'head' | 'scheduler';
  readonly headClass: string;
  readonly headName: string | null;
  /** The block's own timeout, bounded by the operator's cap, else the operator's default. */
  readonly timeoutMs: number;
  readonly continueOnError: boolean;
  readonly attributes: Readonly<Record<string, string>>;
  /** Direct upstream block ids, in graph order. */
  readonly upstream: readonly string[];
  /** Line of the block's first line of code (1-based), for positions in a block's own errors. */
  readonly codeLine: number;
}

export interface RunPlan {
  readonly v: typeof RUN_PLAN_VERSION;
  /** The front matter's `id`, when it is a string. */
  readonly documentId: string | null;
  readonly documentPath: string | null;
  readonly identity: string;
  /** Workflow inputs with the schema's defaults applied, checked against `## Input_Schema`. */
  readonly inputs: Readonly<Record<string, unknown>>;
  /** `permissions.network`: false, true, or a host list. */
  readonly network: boolean | readonly string[];
  /** `permissions.quantum` (quantum-calls/quantum-permission.ts); absent: calls allowed within the defaults. */
  readonly quantum?: QuantumPermission;
  readonly limits: RunLimits;
  readonly concurrency: number;
  readonly unsafeNoSandbox: boolean;
  readonly cache: boolean;
  readonly historyForm: HistoryForm;
  /** The threat scan's verdict when the document was flagged and the caller chose to run it anyway. */
  readonly risk: RiskAccepted | null;
  /** `## Output_Schema`, checked against the workflow outputs when the run ends; null without one. */
  readonly outputSchema: unknown;
  /** In graph order: every block comes after its upstream blocks. */
  readonly blocks: readonly PlannedBlock[];
  /** The compiled `fairness:` front matter (src/fairness/fairness-policy.ts); absent or null: no check. */
  readonly fairness?: FairnessPolicy | null;
}

/** What the caller asks for. */
export interface RunRequest {
  /** Workflow inputs (from --input/--inputs or the request body), before the schema's defaults. */
  readonly inputs?: Readonly<Record<string, unknown>>;
  /** Who runs the document, checked against `permissions.execute` (default agent://local). */
  readonly identity?: string;
  readonly documentPath?: string;
  /** Run a document the threat scan flags (`maml run --allow-risk`, or the `maml:allow-risk` scope). */
  readonly allowRisk?: boolean;
  /** Reuse a block's outputs when nothing that determines them changed. */
  readonly cache?: boolean;
  readonly historyForm?: HistoryForm;
}

/** What the sandbox can do on this machine: null, or what to install or set (checkSandbox's words). */
export interface SandboxAvailability {
  readonly problem: string | null;
  /** A problem that only matters to documents granted the network (slirp4netns missing). */
  readonly networkProblem: string | null;
}

/** The operator's side: caps and facts of this machine, computed by the caller (planRun does no I/O). */
export interface RunPolicy {
  readonly limits?: RunLimits;
  /** Blocks running at once (default 4). */
  readonly concurrency?: number;
  readonly unsafeNoSandbox?: boolean;
  /**
   * What the sandbox can do here, or a function that finds out (sandboxAvailability), which planRun calls only
   * for a document with a sandboxed block: the first probe starts bubblewrap synchronously, which a document
   * without one should not pay for while heads wait for their heartbeats to be answered.
   */
  readonly sandbox: SandboxAvailability | (() => SandboxAvailability);
  /** The head classes and head names the pool runs, for `head=` attributes. */
  readonly heads: { readonly classes: readonly string[]; readonly names: readonly string[] };
  /** The threat scan's settings (DEFAULT_SCAN_GATE when absent). */
  readonly scan?: ScanGate;
}

/** Why a document cannot run as asked: the error code for HTTP/exit status, a summary, and every diagnostic. */
export interface PlanRefusal {
  readonly ok: false;
  readonly code: Extract<ErrorCode, 'invalid_document' | 'permission_denied' | 'missing_tool' | 'usage'>;
  readonly message: string;
  readonly diagnostics: readonly Diagnostic[];
}

export type PlanResult = { readonly ok: true; readonly plan: RunPlan } | PlanRefusal;
