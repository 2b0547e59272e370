/**
 * The gateway's side of the queue: a block placed on a head is sent as a pg-boss job (once per run and block,
 * in the transaction that records it in maml.block_jobs), and its result comes back through maml.block_attempts,
 * written by whichever worker took it. The gateway checks the worker's ticket (signature under an endorsed key,
 * and every field against what it asked for) before committing it (ticket-commit.ts). It also declares attempts
 * of silent workers lost: their jobs are failed back into the queue, to be retried by another worker.
 */
import { randomUUID } from 'node:crypto';
import type PgBoss from 'pg-boss';
import {
  fromBase64,
  hashAttributes,
  hashCanonical,
  hashCode,
  isMlDsaAlg,
  verifyTicket,
  type MlDsaAlg,
  type TransparencyLog,
} from '../../crypto/index.js';
import { MamlError, deserializeError } from '../../shared/index.js';
import type { SerializedError } from '../../shared/index.js';
import type { Database } from '../db/database.js';
import type { RegenerateEvent } from '../heads/head-pool.js';
import type { PlannedBlock } from '../scheduler/run-plan.js';
import type { TaskResult, TaskSpec } from '../task-spec.js';
import type { IssuedTicket } from '../tickets/ticket-issuer.js';
import { BLOCK_JOB_VERSION, type BlockJob } from './block-job.js';
import { BLOCK_RETRY_LIMIT, bossDb, ensureQueue } from './boss.js';
import { NotifyListener } from './notify-listener.js';
import { commitTicket } from './ticket-commit.js';
import { isEndorsed, workerKey } from './worker-store.js';

export const JOBS_CHANNEL = 'maml_jobs';
export const ATTEMPTS_CHANNEL = 'maml_attempts';

export interface RemoteBlockInput {
  readonly runId: string;
  readonly docId: string;
  readonly block: PlannedBlock;
  readonly spec: TaskSpec;
  readonly signal?: AbortSignal;
  readonly onStart?: (head: string, attempt: number) => void;
  readonly onRegenerate?: (event: RegenerateEvent) => void;
}

export interface RemoteBlockResult {
  readonly result: TaskResult;
  readonly head: string;
  readonly attempts: number;
  readonly ticket: IssuedTicket;
}

/** Runs blocks on the queue's workers (executePlan's `remote` service). */
export interface RemoteBlocks {
  run(input: RemoteBlockInput): Promise<RemoteBlockResult>;
}

export interface RemoteBlocksOptions {
  readonly url: string;
  readonly db: Database;
  readonly boss: PgBoss;
  readonly log: TransparencyLog;
  /** The admission public key that endorses worker keys; null accepts no worker's ticket. */
  readonly admission: { readonly alg: MlDsaAlg; readonly publicKey: Uint8Array } | null;
  /** A worker silent this long has its running attempts declared lost and retried elsewhere. */
  readonly leaseMs?: number;
  /** How often results are re-read without a notification (a PostgreSQL restart loses notifications). */
  readonly pollMs?: number;
}

interface AttemptRow {
  readonly attempt: number;
  readonly worker: string;
  readonly head: string | null;
  readonly state: 'running' | 'succeeded' | 'failed' | 'lost';
  readonly startedAt: Date;
  readonly result: TaskResult | null;
  readonly ticket: string | null;
  readonly error: SerializedError | null;
}

function attemptRow(r: Record<string, unknown>): AttemptRow {
  return {
    attempt: Number(r['attempt']),
    worker: String(r['worker']),
    head: (r['head'] as string | null) ?? null,
    state: r['state'] as AttemptRow['state'],
    startedAt: r['started_at'] instanceof Date ? r['started_at'] : new Date(String(r['started_at'])),
    result: (r['result'] as TaskResult | null) ?? null,
    ticket: (r['ticket'] as string | null) ?? null,
    error: (r['error'] as SerializedError | null) ?? null,
  };
}

export class QueueRemoteBlocks implements RemoteBlocks {
  private readonly waiters = new Map<string, Set<() => void>>();
  private readonly listener: NotifyListener;
  private sweeper: NodeJS.Timeout | undefined;
  private poller: NodeJS.Timeout | undefined;
  private readonly leaseMs: number;
  /** Attempts declared lost by this gateway, for the benchmark and tests. */
  readonly stats = { sent: 0, lost: 0, rejected: 0 };

  constructor(private readonly options: RemoteBlocksOptions) {
    this.leaseMs = options.leaseMs ?? 10_000;
    this.listener = new NotifyListener(options.url, [ATTEMPTS_CHANNEL], (_channel, payload) => this.wake(payload));
  }

  async start(): Promise<void> {
    await this.listener.start();
    const sweepMs = Math.max(200, Math.floor(this.leaseMs / 4));
    this.sweeper = setInterval(() => void this.sweep().catch(() => undefined), sweepMs);
    this.sweeper.unref();
    this.poller = setInterval(() => this.wake(undefined), this.options.pollMs ?? 1000);
    this.poller.unref();
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    clearInterval(this.poller);
    await this.listener.close();
  }

  /** Wakes the waiters of one run (a notification's payload), or of every run. */
  private wake(runId: string | undefined): void {
    const sets = runId === undefined ? [...this.waiters.values()] : [this.waiters.get(runId) ?? new Set()];
    for (const set of sets) for (const wake of [...set]) wake();
  }

  /**
   * Declares lost the running attempts of workers silent for longer than the lease (or stopped), and fails their
   * jobs back into the queue (pg-boss retries them, on whichever worker fetches first), in one transaction.
   */
  async sweep(): Promise<number> {
    const lost = await this.options.db.transaction(async (tx) => {
      const rows = await tx.query(
        `UPDATE maml.block_attempts a SET state = 'lost', finished_at = now(),
           error = jsonb_build_object('code', 'head_lost', 'retryable', true, 'message',
             CASE WHEN w.stopped_at IS NOT NULL THEN 'worker ' || a.worker || ' stopped'
             ELSE 'worker ' || a.worker || ' stopped heartbeating (silent for ' ||
               round(extract(epoch FROM now() - w.heartbeat_at)::numeric, 1) || ' s)' END)
         FROM maml.workers w, maml.block_jobs j
         WHERE w.name = a.worker AND j.run_id = a.run_id AND j.block_id = a.block_id AND a.state = 'running'
           AND (w.stopped_at IS NOT NULL OR w.heartbeat_at < now() - make_interval(secs => $1))
         RETURNING a.run_id, a.block_id, a.job_id, j.queue, a.error`,
        [this.leaseMs / 1000],
      );
      for (const row of rows.rows) {
        await this.options.boss.fail(String(row['queue']), String(row['job_id']), row['error'] as object, {
          db: bossDb(tx),
        });
        await tx.query('SELECT pg_notify($1, $2)', [ATTEMPTS_CHANNEL, String(row['run_id'])]);
        await tx.query('SELECT pg_notify($1, $2)', [JOBS_CHANNEL, String(row['queue'])]);
      }
      return rows.rows.length;
    });
    this.stats.lost += lost;
    return lost;
  }

  async run(input: RemoteBlockInput): Promise<RemoteBlockResult> {
    const { runId, block, spec, signal } = input;
    const { db, boss } = this.options;
    const expireInSeconds = Math.ceil(block.timeoutMs / 1000) + 60;
    const queue = await ensureQueue(boss, block.headClass, expireInSeconds);
    const job: BlockJob = {
      v: BLOCK_JOB_VERSION,
      runId,
      blockId: block.id,
      docId: input.docId,
      upstream: block.upstream,
      spec,
    };
    const jobId = await db.transaction(async (tx) => {
      const existing = (
        await tx.query('SELECT job_id FROM maml.block_jobs WHERE run_id = $1 AND block_id = $2', [runId, block.id])
      ).rows[0];
      if (existing) return String(existing['job_id']);
      const id = randomUUID();
      await tx.query('INSERT INTO maml.block_jobs (run_id, block_id, job_id, queue) VALUES ($1, $2, $3, $4)', [
        runId,
        block.id,
        id,
        queue,
      ]);
      await boss.send(queue, job as unknown as object, {
        id,
        retryLimit: BLOCK_RETRY_LIMIT,
        retryDelay: 0,
        expireInSeconds,
        db: bossDb(tx),
      });
      await tx.query('SELECT pg_notify($1, $2)', [JOBS_CHANNEL, queue]);
      return id;
    });
    this.stats.sent++;
    const reported = new Set<string>();
    let cancelAsked = false;
    for (;;) {
      if (signal?.aborted && !cancelAsked) {
        cancelAsked = true;
        await db.query('UPDATE maml.block_jobs SET cancel_requested = true WHERE run_id = $1 AND block_id = $2', [
          runId,
          block.id,
        ]);
        await boss.cancel(queue, jobId).catch(() => undefined);
      }
      const woken = this.nextWake(runId, signal);
      const rows = (
        await db.query('SELECT * FROM maml.block_attempts WHERE run_id = $1 AND block_id = $2 ORDER BY attempt', [
          runId,
          block.id,
        ])
      ).rows.map(attemptRow);
      for (const row of rows) {
        if (row.head !== null && !reported.has(`start ${row.attempt}`)) {
          reported.add(`start ${row.attempt}`);
          input.onStart?.(row.head, row.attempt);
        }
        if (row.state === 'lost' && !reported.has(`lost ${row.attempt}`)) {
          reported.add(`lost ${row.attempt}`);
          input.onRegenerate?.({
            taskId: jobId,
            blockId: block.id,
            head: row.head ?? row.worker,
            attempt: row.attempt + 1,
            reason: row.error?.message ?? `worker ${row.worker} lost the block`,
          });
        }
      }
      const succeeded = rows.find((r) => r.state === 'succeeded');
      if (succeeded) {
        woken.cancel();
        return this.accept(input, succeeded);
      }
      const failed = rows.find((r) => r.state === 'failed');
      if (failed) {
        woken.cancel();
        throw deserializeError(
          failed.error ?? { code: 'internal', message: 'the worker gave no error', retryable: false },
        );
      }
      const state = await boss.getJobById(queue, jobId).catch(() => null);
      if (state?.state === 'cancelled' || (cancelAsked && !rows.some((r) => r.state === 'running'))) {
        woken.cancel();
        throw new MamlError('cancelled', `block ${block.id} was cancelled`);
      }
      if (state?.state === 'failed') {
        woken.cancel();
        const last = rows.at(-1);
        throw new MamlError(
          'head_lost',
          `block ${block.id} was lost ${rows.length} times and is not retried again (last: ${last?.error?.message ?? 'its job expired'})`,
          { retryable: true },
        );
      }
      await woken.promise;
    }
  }

  private nextWake(runId: string, signal: AbortSignal | undefined): { promise: Promise<void>; cancel(): void } {
    let set = this.waiters.get(runId);
    if (!set) this.waiters.set(runId, (set = new Set()));
    const waiters = set;
    let done = (): void => undefined;
    let called = false;
    const promise = new Promise<void>((resolve) => {
      done = () => {
        if (called) return;
        called = true;
        waiters.delete(done);
        // Only this set: a later waiter of the same run may have made a new one, which must stay reachable.
        if (waiters.size === 0 && this.waiters.get(runId) === waiters) this.waiters.delete(runId);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      waiters.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
    return { promise, cancel: done };
  }

  /** Checks a worker's ticket against what the gateway asked for, and commits it; else the block fails. */
  private async accept(input: RemoteBlockInput, row: AttemptRow): Promise<RemoteBlockResult> {
    const { runId, block, spec } = input;
    const result = row.result;
    const head = row.head ?? row.worker;
    if (!result || typeof result.outputs !== 'object' || result.outputs === null || !row.ticket)
      throw new MamlError('internal', `worker ${row.worker} recorded block ${block.id} without outputs or ticket`);
    const problem = await this.ticketProblem(row, input, result);
    if (problem) {
      this.stats.rejected++;
      throw new MamlError(
        'crypto',
        `block ${block.id}: the ticket of worker ${row.worker} is not accepted: ${problem}`,
        {
          details: { worker: row.worker, head },
        },
      );
    }
    const committed = await commitTicket(this.options.db, this.options.log, {
      runId,
      blockId: block.id,
      attempt: row.attempt,
      lang: spec.lang,
      head,
      keyId: keyIdOf(row.ticket),
      compact: row.ticket,
      startedAt: row.startedAt,
      durationMs: result.durationMs,
      outputs: result.outputs,
    });
    return { result, head, attempts: row.attempt, ticket: committed.ticket };
  }

  private async ticketProblem(
    row: AttemptRow,
    input: RemoteBlockInput,
    result: TaskResult,
  ): Promise<string | undefined> {
    const compact = row.ticket ?? '';
    const keyId = keyIdOf(compact);
    const key = keyId ? await workerKey(this.options.db, keyId) : undefined;
    if (!key) return `its key ${keyId || '(none)'} is not registered (the worker registers its keys when it starts)`;
    if (key.worker !== row.worker) return `its key ${keyId} is registered to worker ${key.worker}`;
    const admission = this.options.admission;
    if (!admission) return 'this gateway has no worker-admission key to check endorsements with';
    if (!isEndorsed(key, admission))
      return `its key ${keyId} is not trusted: run \`maml workers trust ${row.worker}\` with the gateway's keyring`;
    const publicKey = fromBase64(key.publicKey);
    if (!publicKey || !isMlDsaAlg(key.alg)) return `its key ${keyId} is not a valid ML-DSA public key`;
    const { block, spec } = input;
    const verified = verifyTicket(compact, {
      keys: (id) => (id === keyId ? { alg: key.alg as MlDsaAlg, publicKey, trusted: true } : undefined),
      blockSource: block.source,
      blockFacts: { lang: block.lang, attrsHash: hashAttributes(block.attributes), upstream: block.upstream },
    });
    if (!verified.ok || !verified.ticket) return verified.failures.map((f) => f.message).join('; ');
    const t = verified.ticket;
    const wrong: string[] = [];
    if (t.runId !== input.runId) wrong.push('run');
    if (t.blockId !== block.id) wrong.push('block');
    if (t.docId !== input.docId) wrong.push('document');
    if (t.headId !== (row.head ?? row.worker)) wrong.push('head');
    if (t.inputHash !== hashCanonical(spec.inputs)) wrong.push('inputs');
    if (t.outputHash !== hashCanonical(result.outputs)) wrong.push('outputs');
    if (hashCode(spec.source) !== t.codeHash) wrong.push('code');
    return wrong.length > 0 ? `it states another ${wrong.join(', ')} than the gateway asked for or got` : undefined;
  }
}

/** The key id a compact ticket names, without checking anything else (empty when unreadable). */
function keyIdOf(compact: string): string {
  try {
    const payload = compact.split('.')[0] ?? '';
    const json = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { keyId?: unknown };
    return typeof json.keyId === 'string' ? json.keyId : '';
  } catch {
    return '';
  }
}
