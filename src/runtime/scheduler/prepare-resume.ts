/**
 * `maml run --resume <run-id>`: checks that the run can go on with this document and reopens it. Refused, each
 * with what to do instead: a run that is not recorded, one that succeeded (nothing to resume), one still running
 * (a durable run whose gateway holds its lease, or any run on a shared database), a run recorded without its
 * plan or document hash (by an older version), and a document that changed since (by documentHash).
 */
import { MamlError } from '../../shared/index.js';
import type { RunStore } from '../db/index.js';
import { RUN_PLAN_VERSION, type RunPlan } from './run-plan.js';
import { loadResumeState, type ResumeState } from './resume-state.js';

export interface PreparedResume {
  readonly runId: string;
  readonly plan: RunPlan;
  readonly resume: ResumeState;
}

export async function prepareResume(store: RunStore, idOrPrefix: string, hash: string): Promise<PreparedResume> {
  const found = await store.getRun(idOrPrefix);
  if (!found)
    throw new MamlError(
      'not_found',
      `no run with id or unique prefix \`${idOrPrefix}\` to resume (see maml runs list)`,
    );
  const { run } = found;
  if (run.status === 'succeeded')
    throw new MamlError('conflict', `run ${run.id} succeeded: there is nothing to resume (run the document anew)`);
  if (run.status === 'running')
    throw new MamlError(
      'conflict',
      `run ${run.id} is still running in another process (a gateway holding it, or maml run on this database); cancel it or wait for it to end, then resume`,
    );
  const stored = await store.loadPlan(run.id);
  const plan = stored?.plan as RunPlan | undefined;
  if (!stored || plan?.v !== RUN_PLAN_VERSION || stored.documentHash === null)
    throw new MamlError(
      'unsupported',
      `run ${run.id} was recorded without its plan and document hash (by an older version); run the document anew`,
    );
  if (stored.documentHash !== hash)
    throw new MamlError(
      'conflict',
      `the document is not the one run ${run.id} ran (its hash ${hash.slice(0, 12)}… differs from the recorded ${stored.documentHash.slice(0, 12)}…; History lines do not count): resume needs the same document; run this one anew without --resume`,
    );
  await store.reopenRun(run.id);
  const resume = await loadResumeState(store, run.id, 'resume');
  if (!resume) throw new MamlError('not_found', `run ${run.id} disappeared while it was being resumed`);
  return { runId: run.id, plan, resume };
}
