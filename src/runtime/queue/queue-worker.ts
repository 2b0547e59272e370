/**
 * A worker of the block queue: it takes block jobs for the head classes its pool runs (a LISTEN wakes it when a
 * job is sent; it also polls), runs each on a local head, signs the block's ticket with that head's key, and
 * writes the result under the delivery's idempotency key (run, block, attempt) while completing the job, in one
 * transaction. It heartbeats in maml.workers; a gateway declares the attempts of a worker silent for longer than
 * its lease lost and fails their jobs back into the queue. `drain` (SIGTERM) stops taking jobs, lets running
 * blocks finish for a grace period, then hands the rest back (their jobs fail into a retry) and marks the worker
 * stopped. `maml worker` runs one; `maml serve` runs one on its local heads unless --no-local-heads.
 */
import type PgBoss from 'pg-boss';
import { hashAttributes, hashCanonical, hashCode, signTicket } from '../../crypto/index.js';
import { MamlError, serializeError } from '../../shared/index.js';
import type { SerializedError } from '../../shared/index.js';
import type { Database } from '../db/database.js';
import { executorFor } from '../executors/index.js';
import type { HeadPool } from '../heads/head-pool.js';
import { storable } from '../output-check.js';
import type { TaskResult } from '../task-spec.js';
import type { SignerSource } from '../tickets/ticket-issuer.js';
import { blockJobProblem, queueName, type BlockJob } from './block-job.js';
import { bossDb } from './boss.js';
import { NotifyListener } from './notify-listener.js';
import { ATTEMPTS_CHANNEL, JOBS_CHANNEL } from './remote-blocks.js';
import { heartbeat, markStopped, registerWorker, registerWorkerKey } from './worker-store.js';

export interface QueueWorkerOptions {
  readonly name: string;
  readonly url: string;
  readonly db: Database;
  readonly boss: PgBoss;
  /** Started; its heads run the blocks. */
  readonly pool: HeadPool;
  /** The heads' ticket signers (the keyring's per-head keys), by head id `<worker>/<head>`. */
  readonly signers: SignerSource;
  /** Blocks at once (default: one per head). */
  readonly concurrency?: number;
  readonly heartbeatMs?: number;
  readonly pollMs?: number;
  /** Run blocks of runs planned with --unsafe-no-sandbox (a worker refuses them unless its operator allows). */
  readonly allowUnsafeNoSandbox?: boolean;
  /** One line per notable thing (a block taken, lost, handed back). */
  readonly log?: (line: string) => void;
}

interface InFlight {
  readonly job: BlockJob;
  readonly jobId: string;
  readonly queue: string;
  readonly attempt: number;
  readonly controller: AbortController;
  readonly done: Promise<void>;
}

function signerOf(signers: SignerSource, headId: string): ReturnType<Exclude<SignerSource, { alg: unknown }>> {
  return typeof signers === 'function' ? signers(headId) : Promise.resolve(signers);
}

export class QueueWorker {
  private readonly inFlight = new Map<string, InFlight>();
  private readonly listener: NotifyListener;
  private timer: NodeJS.Timeout | undefined;
  private poller: NodeJS.Timeout | undefined;
  private draining = false;
  private pumping = false;
  private again = false;
  private readonly concurrency: number;
  readonly stats = { taken: 0, succeeded: 0, failed: 0, handedBack: 0, duplicates: 0 };

  constructor(private readonly options: QueueWorkerOptions) {
    const heads = options.pool.info().length;
    this.concurrency = Math.max(1, options.concurrency ?? heads);
    this.listener = new NotifyListener(options.url, [JOBS_CHANNEL], () => this.pump());
  }

  get name(): string {
    return this.options.name;
  }

  /** Head ids (`<worker>/<head>`) with their classes. */
  private heads(): { name: string; headClass: string; busy: boolean }[] {
    return this.options.pool
      .info()
      .map((h) => ({ name: `${this.options.name}/${h.name}`, headClass: h.headClass, busy: h.busy }));
  }

  /** Registers the worker and its heads' public keys, then starts heartbeats and taking jobs. */
  async start(): Promise<void> {
    const { db, name } = this.options;
    await registerWorker(db, { name, concurrency: this.concurrency });
    for (const head of this.heads()) {
      const signer = await signerOf(this.options.signers, head.name);
      await registerWorkerKey(db, name, head.name, signer);
    }
    await this.beat();
    this.timer = setInterval(() => void this.beat().catch(() => undefined), this.options.heartbeatMs ?? 1000);
    this.timer.unref();
    this.poller = setInterval(() => this.pump(), this.options.pollMs ?? 1000);
    this.poller.unref();
    await this.listener.start();
    this.pump();
  }

  /** Heartbeat, and cancels asked for the blocks this worker runs. */
  private async beat(): Promise<void> {
    const { db, name } = this.options;
    await heartbeat(db, name, this.inFlight.size, this.heads());
    if (this.inFlight.size === 0) return;
    const cancels = await db.query(
      `SELECT a.run_id, a.block_id FROM maml.block_attempts a JOIN maml.block_jobs j USING (run_id, block_id)
       WHERE a.worker = $1 AND a.state = 'running' AND j.cancel_requested`,
      [name],
    );
    for (const row of cancels.rows)
      this.inFlight.get(`${String(row['run_id'])}/${String(row['block_id'])}`)?.controller.abort();
  }

  /** Takes jobs while heads are free; one pump at a time (a wake-up during one runs another after it). */
  pump(): void {
    if (this.draining) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    void this.fill()
      .catch((error: unknown) => this.options.log?.(`could not take jobs: ${serializeError(error).message}`))
      .finally(() => {
        this.pumping = false;
        if (this.again) {
          this.again = false;
          this.pump();
        }
      });
  }

  private async fill(): Promise<void> {
    for (;;) {
      if (this.draining || this.inFlight.size >= this.concurrency) return;
      const busy = new Map<string, number>();
      for (const f of this.inFlight.values()) busy.set(f.job.spec.headClass, (busy.get(f.job.spec.headClass) ?? 0) + 1);
      const classes = this.options.pool.classes().filter((c) => {
        const heads = this.options.pool.info().filter((h) => h.headClass === c).length;
        return (busy.get(c) ?? 0) < heads;
      });
      let took = false;
      for (const headClass of classes) {
        if (this.draining || this.inFlight.size >= this.concurrency) return;
        if (await this.takeOne(queueName(headClass))) took = true;
      }
      if (!took) return;
    }
  }

  /** Fetches one job and records its delivery in one transaction; starts it. */
  private async takeOne(queue: string): Promise<boolean> {
    const { db, boss, name } = this.options;
    const taken = await db.transaction(async (tx) => {
      const jobs = await boss
        .fetch<BlockJob>(queue, { batchSize: 1, includeMetadata: true, db: bossDb(tx) })
        .catch((error: unknown) => {
          // A queue no gateway has created yet.
          if (/not found|does not exist/i.test(serializeError(error).message)) return [];
          throw error;
        });
      const job = jobs[0];
      if (!job) return undefined;
      const attempt = job.retryCount + 1;
      const problem = blockJobProblem(job.data);
      if (problem) {
        // Not ours to run, ever: failed for good, so it does not come back.
        await boss.fail(queue, job.id, { message: problem }, { db: bossDb(tx) });
        return undefined;
      }
      const data = job.data;
      const done = (
        await tx.query(
          `SELECT 1 FROM maml.block_attempts WHERE run_id = $1 AND block_id = $2 AND state IN ('succeeded', 'failed')`,
          [data.runId, data.blockId],
        )
      ).rows.length;
      if (done > 0) {
        // A second delivery of a block whose result is already recorded: nothing to run.
        await boss.complete(queue, job.id, { db: bossDb(tx) });
        this.stats.duplicates++;
        return undefined;
      }
      const inserted = await tx.query(
        `INSERT INTO maml.block_attempts (run_id, block_id, attempt, job_id, worker, state)
         VALUES ($1, $2, $3, $4, $5, 'running') ON CONFLICT DO NOTHING RETURNING attempt`,
        [data.runId, data.blockId, attempt, job.id, name],
      );
      if (inserted.rows.length === 0) {
        this.stats.duplicates++;
        return undefined;
      }
      await tx.query('SELECT pg_notify($1, $2)', [ATTEMPTS_CHANNEL, data.runId]);
      return { job: data, jobId: job.id, attempt };
    });
    if (!taken) return false;
    this.stats.taken++;
    const key = `${taken.job.runId}/${taken.job.blockId}`;
    const controller = new AbortController();
    const flight: InFlight = {
      ...taken,
      queue,
      controller,
      done: this.execute(taken.job, taken.jobId, queue, taken.attempt, controller.signal).finally(() => {
        this.inFlight.delete(key);
        this.pump();
      }),
    };
    this.inFlight.set(key, flight);
    this.options.log?.(`took block ${taken.job.blockId} of run ${taken.job.runId} (attempt ${taken.attempt})`);
    return true;
  }

  private async execute(
    job: BlockJob,
    jobId: string,
    queue: string,
    attempt: number,
    signal: AbortSignal,
  ): Promise<void> {
    const { db, name } = this.options;
    const startedAt = new Date();
    let head = '';
    let outcome:
      { state: 'succeeded'; result: TaskResult; ticket: string } | { state: 'failed'; error: SerializedError };
    try {
      if (job.spec.unsafeNoSandbox && this.options.allowUnsafeNoSandbox !== true)
        throw new MamlError(
          'permission_denied',
          `worker ${name} does not run blocks without the sandbox (the run was started with --unsafe-no-sandbox); start it with --allow-unsafe-no-sandbox to allow that`,
        );
      const submitted = await this.options.pool.submit(job.spec, {
        signal,
        onStart: (headName) => {
          head = `${name}/${headName}`;
          void db
            .query(
              `UPDATE maml.block_attempts SET head = $4 WHERE run_id = $1 AND block_id = $2 AND attempt = $3 AND state = 'running'`,
              [job.runId, job.blockId, attempt, head],
            )
            .then(() => db.query('SELECT pg_notify($1, $2)', [ATTEMPTS_CHANNEL, job.runId]))
            .catch(() => undefined);
        },
      });
      head = `${name}/${submitted.head}`;
      const result = submitted.result;
      const executor = executorFor(job.spec.lang);
      if (!executor) throw new MamlError('unsupported', `this worker has no executor for ${job.spec.lang}`);
      const signer = await signerOf(this.options.signers, head);
      const signed = signTicket(
        {
          docId: job.docId,
          runId: job.runId,
          blockId: job.blockId,
          headId: head,
          inputHash: hashCanonical(job.spec.inputs),
          outputHash: hashCanonical(result.outputs),
          codeHash: hashCode(job.spec.source),
          startedAt: startedAt.toISOString(),
          durationMs: Math.max(0, Math.round(result.durationMs)),
          executor: `${job.spec.lang}@${executor.version}`,
          lang: job.spec.lang,
          attrsHash: hashAttributes(job.spec.attributes),
          upstream: job.upstream,
        },
        signer,
      );
      outcome = { state: 'succeeded', result, ticket: signed.compact };
    } catch (error) {
      // Handed back by a drain: the drain has already failed the job into a retry.
      if (this.draining && signal.aborted) return;
      outcome = { state: 'failed', error: storable(serializeError(error)) as SerializedError };
    }
    await this.record(job, jobId, queue, attempt, head, outcome);
  }

  /** Writes the delivery's outcome and completes its job together; nothing if the attempt was declared lost. */
  private async record(
    job: BlockJob,
    jobId: string,
    queue: string,
    attempt: number,
    head: string,
    outcome: { state: 'succeeded'; result: TaskResult; ticket: string } | { state: 'failed'; error: SerializedError },
  ): Promise<void> {
    const { db, boss } = this.options;
    for (let tries = 0; ; tries++) {
      try {
        const recorded = await db.transaction(async (tx) => {
          const updated = await tx.query(
            `UPDATE maml.block_attempts SET state = $4, head = nullif($5, ''), finished_at = now(), result = $6::jsonb,
               ticket = $7, error = $8::jsonb
             WHERE run_id = $1 AND block_id = $2 AND attempt = $3 AND state = 'running' RETURNING attempt`,
            [
              job.runId,
              job.blockId,
              attempt,
              outcome.state,
              head,
              outcome.state === 'succeeded' ? JSON.stringify(storable(outcome.result)) : null,
              outcome.state === 'succeeded' ? outcome.ticket : null,
              outcome.state === 'failed' ? JSON.stringify(outcome.error) : null,
            ],
          );
          if (updated.rows.length === 0) return false;
          await boss.complete(queue, jobId, { db: bossDb(tx) });
          await tx.query('SELECT pg_notify($1, $2)', [ATTEMPTS_CHANNEL, job.runId]);
          return true;
        });
        if (!recorded)
          this.options.log?.(
            `block ${job.blockId} of run ${job.runId}: this attempt was declared lost; its result is dropped`,
          );
        else if (outcome.state === 'succeeded') this.stats.succeeded++;
        else this.stats.failed++;
        return;
      } catch (error) {
        // PostgreSQL restarting: the result is kept here and written once it is back (the lease permitting).
        if (tries >= 60 || this.stopped) throw error;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }

  private stopped = false;

  /**
   * Stops taking jobs; waits up to `graceMs` for the running blocks, then hands the rest back (their attempts
   * lost, their jobs failed into a retry that another worker takes) and marks the worker stopped.
   */
  async drain(graceMs: number): Promise<{ finished: number; handedBack: number }> {
    this.draining = true;
    clearInterval(this.poller);
    await this.listener.close();
    const running = [...this.inFlight.values()];
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), graceMs)));
    await Promise.race([Promise.all(running.map((f) => f.done)), timedOut]);
    clearTimeout(timer);
    const left = [...this.inFlight.values()];
    for (const flight of left) {
      const { job } = flight;
      await this.options.db.transaction(async (tx) => {
        const lost = await tx.query(
          `UPDATE maml.block_attempts SET state = 'lost', finished_at = now(), error = $4::jsonb
           WHERE run_id = $1 AND block_id = $2 AND attempt = $3 AND state = 'running' RETURNING attempt`,
          [
            job.runId,
            job.blockId,
            flight.attempt,
            JSON.stringify({
              code: 'head_lost',
              message: `worker ${this.options.name} was stopped and handed the block back`,
              retryable: true,
            }),
          ],
        );
        if (lost.rows.length > 0)
          await this.options.boss.fail(
            flight.queue,
            flight.jobId,
            { message: 'handed back by a draining worker' },
            { db: bossDb(tx) },
          );
        await tx.query('SELECT pg_notify($1, $2)', [ATTEMPTS_CHANNEL, job.runId]);
        await tx.query('SELECT pg_notify($1, $2)', [JOBS_CHANNEL, flight.queue]);
      });
      flight.controller.abort();
      this.stats.handedBack++;
    }
    await Promise.all(left.map((f) => f.done.catch(() => undefined)));
    clearInterval(this.timer);
    this.stopped = true;
    await markStopped(this.options.db, this.options.name).catch(() => undefined);
    return { finished: running.length - left.length, handedBack: left.length };
  }
}
