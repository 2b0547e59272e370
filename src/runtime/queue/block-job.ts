/**
 * What a queued block job carries from the gateway to a worker (pg-boss job `data`): plain JSON, the block's
 * TaskSpec plus what the worker's head needs to sign its ticket. The idempotency key of one delivery is
 * (run, block, attempt); the attempt is the job's pg-boss retry count plus one.
 */
import type { TaskSpec } from '../task-spec.js';

export const BLOCK_JOB_VERSION = 1;

export interface BlockJob {
  readonly v: typeof BLOCK_JOB_VERSION;
  readonly runId: string;
  readonly blockId: string;
  /** The document's id (or `run:<id>`), for the ticket. */
  readonly docId: string;
  /** Direct upstream block ids in graph order, for the ticket. */
  readonly upstream: readonly string[];
  readonly spec: TaskSpec;
}

/** One queue per head class: a worker takes only the blocks its heads can run. */
export function queueName(headClass: string): string {
  return `maml-blocks-${headClass}`;
}

/** The idempotency key of one delivery of a block. */
export function attemptKey(runId: string, blockId: string, attempt: number): string {
  return `${runId}/${blockId}/${attempt}`;
}

/** Why `data` is not a block job this version can run, or undefined. A job comes from the database: checked anyway. */
export function blockJobProblem(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null) return 'the job carries no object';
  const job = data as Record<string, unknown>;
  if (job['v'] !== BLOCK_JOB_VERSION) return `job version ${String(job['v'])} is not ${BLOCK_JOB_VERSION}`;
  for (const key of ['runId', 'blockId', 'docId'] as const)
    if (typeof job[key] !== 'string' || job[key] === '') return `the job's ${key} is not a non-empty string`;
  if (!Array.isArray(job['upstream']) || !job['upstream'].every((u) => typeof u === 'string'))
    return "the job's upstream is not a list of block ids";
  const spec = job['spec'] as Record<string, unknown> | null | undefined;
  if (typeof spec !== 'object' || spec === null) return 'the job carries no task';
  if (typeof spec['lang'] !== 'string' || typeof spec['source'] !== 'string' || spec['blockId'] !== job['blockId'])
    return "the job's task does not name its language, source and block";
  return undefined;
}
