/**
 * planRun + executePlan in one call, for tests and benchmarks that hold a document, a pool and a store: the
 * machine's facts come from the pool and checkSandbox, and a refusal is thrown as a MamlError whose
 * `details.diagnostics` lists every problem (planRefusalError). Entry points call planRun and executePlan
 * themselves.
 */
import type { MamlDocument } from '../../format/index.js';
import type { HistoryForm } from '../../crypto/index.js';
import { MamlError } from '../../shared/index.js';
import type { RunStore } from '../db/index.js';
import type { HeadPool } from '../heads/index.js';
import type { RunEventListener } from '../run-events.js';
import type { RunLimits } from '../run-limits.js';
import type { TicketIssuer } from '../tickets/ticket-issuer.js';
import { executePlan } from './execute-plan.js';
import type { RunReport } from './execute-plan.js';
import { planRun } from './plan-run.js';
import type { PlanRefusal } from './run-plan.js';
import { sandboxAvailability } from './run-policy.js';

export interface RunWorkflowOptions {
  readonly doc: MamlDocument;
  readonly documentPath?: string;
  readonly inputs?: Readonly<Record<string, unknown>>;
  readonly identity?: string;
  readonly pool: HeadPool;
  readonly store: RunStore;
  readonly concurrency?: number;
  readonly cache?: boolean;
  readonly unsafeNoSandbox?: boolean;
  readonly limits?: RunLimits;
  readonly allowRisk?: boolean;
  readonly onEvent?: RunEventListener;
  readonly runId?: string;
  readonly signal?: AbortSignal;
  readonly tickets?: TicketIssuer;
  readonly historyForm?: HistoryForm;
}

/** A plan refusal as the error family's MamlError: its code, summary, and every diagnostic in the details. */
export function planRefusalError(refusal: PlanRefusal): MamlError {
  return new MamlError(refusal.code, refusal.message, { details: { diagnostics: refusal.diagnostics } });
}

export async function runWorkflow(options: RunWorkflowOptions): Promise<RunReport> {
  const { doc, pool } = options;
  const planned = planRun(
    doc,
    {
      ...(options.inputs ? { inputs: options.inputs } : {}),
      ...(options.identity ? { identity: options.identity } : {}),
      ...(options.documentPath ? { documentPath: options.documentPath } : {}),
      ...(options.allowRisk ? { allowRisk: true } : {}),
      ...(options.cache ? { cache: true } : {}),
      ...(options.historyForm ? { historyForm: options.historyForm } : {}),
    },
    {
      ...(options.limits ? { limits: options.limits } : {}),
      ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
      unsafeNoSandbox: options.unsafeNoSandbox ?? false,
      sandbox: options.unsafeNoSandbox ? { problem: null, networkProblem: null } : sandboxAvailability,
      heads: { classes: pool.classes(), names: pool.info().map((h) => h.name) },
    },
  );
  if (!planned.ok) throw planRefusalError(planned);
  return executePlan(planned.plan, {
    store: options.store,
    pool,
    ...(options.tickets ? { tickets: options.tickets } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.runId ? { runId: options.runId } : {}),
    ...(options.onEvent ? { subscribers: [options.onEvent] } : {}),
  });
}
