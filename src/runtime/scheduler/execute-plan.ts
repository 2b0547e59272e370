/**
 * Carries out a RunPlan: its blocks as a DAG — independent blocks in parallel up to the plan's concurrency — on
 * the head pool (or, for SQL, in the run's own sandboxed database), passing outputs downstream; signs a ticket per
 * executed block and a record of the run; and reports everything as one RunEvent stream (run-events.ts), which the
 * run store records (the only event writes) and the caller's subscribers observe.
 *
 * Failure policy: the first failed block stops the run and the rest are `skipped`, unless the block has
 * `continue_on_error=true`; dependents of a failed block are skipped either way. Cancel (the signal): running
 * blocks are stopped (their processes killed) and recorded `cancelled`, blocks not started are `skipped`, the run
 * ends `cancelled`. Once the run row exists the run is always finished in the database, whatever fails: a write
 * that fails stops the run (nothing new starts) and it ends `failed` with that error.
 */
import { randomUUID } from 'node:crypto';
import type { NewHistoryEntry } from '../../format/index.js';
import { validateAgainst } from '../../format/index.js';
import { historyText, ticketLineText } from '../../crypto/index.js';
import { MamlError, serializeError } from '../../shared/index.js';
import type { SerializedError } from '../../shared/index.js';
import type { RunStore } from '../db/index.js';
import { RunResources, executorFor } from '../executors/index.js';
import type { HeadPool, RegenerateEvent } from '../heads/index.js';
import { checkFairness } from '../fairness-check.js';
import { checkOutputs, storable } from '../output-check.js';
import { signRunRecord } from '../tickets/run-record-line.js';
import { RUN_EVENT_VERSION, blockFinishedType } from '../run-events.js';
import type {
  BlockReport,
  FinalBlockStatus,
  RunEvent,
  RunEventData,
  RunEventListener,
  RunEventType,
} from '../run-events.js';
import { taskLimits } from '../run-limits.js';
import { taskSpec } from '../task-spec.js';
import type { TaskResult } from '../task-spec.js';
import type { IssuedTicket, TicketIssuer } from '../tickets/ticket-issuer.js';
import { cacheKey, canonicalJson, sha256 } from './cache-key.js';
import { mergeInputs } from './inputs.js';
import type { PlannedBlock, RunPlan } from './run-plan.js';
import type { ResumeState } from './resume-state.js';
import type { RemoteBlocks } from '../queue/remote-blocks.js';
import type { DurableOwner } from '../db/index.js';

export interface RunReport {
  readonly runId: string;
  readonly status: 'succeeded' | 'failed' | 'cancelled';
  readonly blocks: readonly BlockReport[];
  readonly outputs: Readonly<Record<string, unknown>>;
  readonly error: SerializedError | null;
  readonly durationMs: number;
  /** Lines for the document's History (`[TICKET]`, `[REGENERATE]`, `[EXECUTE]`). */
  readonly history: readonly NewHistoryEntry[];
}

export interface ExecuteServices {
  /** Records the run, its blocks, the result cache, and every event (RunStore.recordEvent). */
  readonly store: RunStore;
  readonly pool: HeadPool;
  /**
   * Signs a ticket for every block that ran (not cache hits) and a record of the run, and appends them to the
   * audit log; the History lines then carry them.
   */
  readonly tickets?: TicketIssuer;
  /** Aborting cancels the run: running blocks are stopped and `cancelled`, the rest `skipped`; the run `cancelled`. */
  readonly signal?: AbortSignal;
  /** Run id to record the run under (default: a new UUID); lets a caller hand out the id before the run starts. */
  readonly runId?: string;
  /** Observers of the event stream, called in `seq` order after the store was handed each event. */
  readonly subscribers?: readonly RunEventListener[];
  /** Directory for rebuildable caches of the executors that run here (the SQL template); RuntimeOptions.cacheDir. */
  readonly cacheDir?: string | null;
  /**
   * Blocks placed on a head go to the queue's workers (durable mode), which sign their tickets; the gateway checks
   * and commits each (queue/remote-blocks.ts). Without it they run on `pool`.
   */
  readonly remote?: RemoteBlocks;
  /** Go on with the recorded run `runId` (resume-state.ts) instead of starting a new one. */
  readonly resume?: ResumeState;
  /** SHA-256 hex of the document's text, stored with the plan: `maml run --resume` refuses another document. */
  readonly documentHash?: string;
  /** The gateway owning this durable run under a lease (another takes it over when the lease runs out). */
  readonly owner?: DurableOwner;
}

/** Why blocks that never started were skipped, when the run was cancelled. */
const CANCELLED_REASON = 'the run was cancelled';

/** Blocks named one by one in an `[EXECUTE]` line; the rest are counted, so one line stays readable. */
const SUMMARY_BLOCKS = 50;

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

/**
 * Numbers and sends the run's events: to the store first (its writes are tracked: one that fails is the run's
 * `fatal` error), then to each subscriber; a subscriber that throws is reported once and the run goes on.
 */
class EventStream {
  private readonly writes = new Set<Promise<void>>();
  private warned = false;
  failure: SerializedError | undefined;

  constructor(
    private readonly runId: string,
    private readonly store: RunStore,
    private readonly subscribers: readonly RunEventListener[],
    /** The last `seq` already recorded (a resumed run numbers on from it). */
    private seq = 0,
  ) {}

  /** Resolves once the store has the event (or failed to store it, which sets `failure`). */
  emit<T extends RunEventType>(type: T, blockId: string | null, data: RunEventData[T]): Promise<void> {
    const event = {
      v: RUN_EVENT_VERSION,
      runId: this.runId,
      seq: ++this.seq,
      at: new Date().toISOString(),
      type,
      blockId,
      data,
    } as RunEvent;
    const write = this.store.recordEvent(event).catch((error: unknown) => {
      this.failure ??= {
        code: 'internal',
        message: `could not record the ${type} event in the run database: ${serializeError(error).message}`,
        retryable: true,
      };
    });
    this.writes.add(write);
    void write.finally(() => this.writes.delete(write));
    for (const subscriber of this.subscribers) {
      try {
        subscriber(event);
      } catch (error) {
        if (this.warned) continue;
        this.warned = true;
        process.emitWarning(
          `run ${this.runId}: a run event subscriber threw (${serializeError(error).message}); the run goes on`,
        );
      }
    }
    return write;
  }

  /** Waits for every event write still in flight. */
  async settled(): Promise<void> {
    while (this.writes.size > 0) await Promise.all([...this.writes]);
  }
}

function finishedData(report: BlockReport): RunEventData['block_succeeded'] {
  return {
    head: report.head,
    durationMs: report.durationMs,
    error: report.error,
    ...(report.reason ? { reason: report.reason } : {}),
    lang: report.lang,
    attempts: report.attempts,
    cached: report.cached,
  };
}

export async function executePlan(plan: RunPlan, services: ExecuteServices): Promise<RunReport> {
  const { store, pool, signal, tickets } = services;
  const { blocks, inputs, limits, concurrency, identity, historyForm } = plan;
  const runId = services.runId ?? randomUUID();
  const started = performance.now();
  const resume = services.resume;
  const events = new EventStream(runId, store, services.subscribers ?? [], resume?.lastSeq ?? 0);
  const history: NewHistoryEntry[] = [];
  /** Leaf hashes of the tickets issued, and the texts of the [REGENERATE] lines written: the run record binds both. */
  const ticketLeaves: string[] = [];
  const regenerated: string[] = [];
  const startedAtDate = new Date();
  const reports = new Map<string, BlockReport>(
    blocks.map((b) => [
      b.id,
      {
        id: b.id,
        lang: b.lang,
        head: null,
        status: 'pending',
        durationMs: null,
        outputs: {},
        error: null,
        attempts: 0,
        cached: false,
      },
    ]),
  );
  const outputHashes = new Map<string, string>();
  // Per-run state of scheduler-placed blocks (the SQL database), closed however this function is left.
  await using resources = new RunResources();
  const docId = plan.documentId ?? `run:${runId}`;
  if (!resume) {
    await store.createRun({
      id: runId,
      identity,
      inputs,
      ...(plan.documentPath !== null ? { documentPath: plan.documentPath } : {}),
      ...(plan.documentId !== null ? { documentId: plan.documentId } : {}),
    });
    try {
      await store.savePlan(runId, plan, services.documentHash ?? null, services.owner ?? null);
    } catch (error) {
      await store.finishRun(runId, 'failed', {}, serializeError(error)).catch(() => undefined);
      throw error;
    }
  }
  // From here on the run row exists and must be finished (see the header).
  let fatal: SerializedError | undefined;
  const fail = (what: string, error: unknown): void => {
    fatal ??= {
      code: 'internal',
      message: `could not record ${what} in the run database: ${serializeError(error).message}`,
      retryable: true,
    };
  };
  if (resume) {
    void events.emit('run_resumed', null, {
      identity,
      blocks: blocks.map((b) => b.id),
      langs: blocks.map((b) => b.lang),
      done: blocks.filter((b) => resume.done.has(b.id)).map((b) => b.id),
      reason: resume.reason,
    });
    // Blocks committed before the run stopped: their results stand, and events that were not recorded then are.
    for (const block of blocks) {
      const done = resume.done.get(block.id);
      if (!done) continue;
      const report: BlockReport = {
        id: block.id,
        lang: block.lang,
        head: done.head,
        status: 'succeeded',
        durationMs: done.durationMs,
        outputs: done.outputs,
        error: null,
        attempts: done.attempts,
        cached: done.cached,
      };
      reports.set(block.id, report);
      outputHashes.set(block.id, sha256(canonicalJson(done.outputs)));
      if (done.ticket) {
        ticketLeaves.push(done.ticket.leafHash);
        if (!resume.priorFinished)
          history.push({
            time: new Date(),
            action: 'TICKET',
            text: ticketLineText({ ...done.ticket, runId, blockId: block.id }, historyForm),
          });
        if (!done.ticketEvent)
          void events.emit('ticket_issued', block.id, {
            logIndex: done.ticket.logIndex,
            keyId: done.ticket.keyId,
            compact: done.ticket.compact,
            leafHash: done.ticket.leafHash,
          });
      }
      if (!done.finishedEvent) void events.emit('block_succeeded', block.id, finishedData(report));
    }
  } else
    void events.emit('run_started', null, {
      identity,
      blocks: blocks.map((b) => b.id),
      langs: blocks.map((b) => b.lang),
    });
  if (plan.risk) void events.emit('risk_accepted', null, storable(plan.risk) as RunEventData['risk_accepted']);

  const finish = async (block: PlannedBlock, report: BlockReport, startedAt?: Date): Promise<void> => {
    reports.set(block.id, report);
    const status: FinalBlockStatus =
      report.status === 'pending' || report.status === 'running' ? 'failed' : report.status;
    try {
      await store.recordBlock({
        runId,
        blockId: block.id,
        attemptId: `${runId}/${block.id}/${report.attempts}`,
        lang: block.lang,
        head: report.head,
        attempts: report.attempts,
        status,
        cached: report.cached,
        ...(startedAt ? { startedAt, finishedAt: new Date() } : {}),
        durationMs: report.durationMs,
        outputs: report.outputs,
        error: report.error ?? (report.reason ? { reason: report.reason } : null),
      });
    } catch (error) {
      fail(`block ${block.id}`, error);
    }
    await events.emit(blockFinishedType(status), block.id, finishedData(report));
  };

  const skip = (block: PlannedBlock, reason: string): Promise<void> =>
    finish(block, { ...(reports.get(block.id) as BlockReport), status: 'skipped', reason });

  const execute = async (block: PlannedBlock): Promise<void> => {
    const startedAt = new Date();
    const t0 = performance.now();
    let head: string | null = block.placement === 'scheduler' ? 'scheduler' : null;
    let attempts = 0;
    reports.set(block.id, { ...(reports.get(block.id) as BlockReport), status: 'running' });
    try {
      const executor = executorFor(block.lang);
      if (!executor)
        throw new MamlError('unsupported', `block ${block.id}: no executor for language \`${block.lang}\` here`);
      const upstream = block.upstream.map((id) => ({ id, outputs: reports.get(id)?.outputs ?? {} }));
      const blockInputs = mergeInputs(block.id, inputs, upstream);
      const spec = taskSpec({
        blockId: block.id,
        lang: block.lang,
        source: block.source,
        inputs: blockInputs,
        limits: taskLimits(limits, block.timeoutMs),
        permissions: {
          network: plan.network === false || plan.network === true ? plan.network : [...plan.network],
          ...(plan.quantum === undefined ? {} : { quantum: plan.quantum }),
        },
        headClass: block.headClass,
        unsafeNoSandbox: plan.unsafeNoSandbox,
        attributes: block.attributes,
        codeLine: block.codeLine,
      });
      const key = plan.cache
        ? cacheKey({
            lang: block.lang,
            source: block.source,
            executorVersion: executor.version,
            attributes: block.attributes,
            inputs: blockInputs,
            upstreamOutputHashes: block.upstream.map((id) => outputHashes.get(id) ?? ''),
          })
        : undefined;
      const hit = key === undefined ? undefined : await store.cacheGet(key);
      if (signal?.aborted) return await skip(block, CANCELLED_REASON);
      let result: TaskResult | undefined;
      let outputs: Readonly<Record<string, unknown>>;
      /** A worker's ticket, already checked and committed with the block's row (durable mode). */
      let remoteTicket: IssuedTicket | undefined;
      // Where a head runs the block (a local head, or a worker's through the queue): who started it, and retries.
      const placement = {
        onStart: (name: string, attempt: number): void => {
          head = name;
          attempts = attempt;
          void events.emit('block_started', block.id, { head: name, attempt });
        },
        onRegenerate: (event: RegenerateEvent): void => {
          const text = historyText(
            `run ${runId}: block ${block.id} lost ${event.reason}; retried as attempt ${event.attempt}`,
          );
          regenerated.push(text);
          history.push({ time: new Date(), action: 'REGENERATE', text });
          void events.emit('regenerate', block.id, { ...event });
        },
      };
      if (hit) {
        outputs = hit;
        head = 'cache';
      } else if (block.placement === 'scheduler') {
        attempts = 1;
        void events.emit('block_started', block.id, { head: 'scheduler', attempt: 1 });
        result = await executor.run(spec, {
          resources,
          ...(signal ? { signal } : {}),
          ...(services.cacheDir ? { cacheDir: services.cacheDir } : {}),
        });
        outputs = result.outputs;
      } else if (services.remote) {
        const submitted = await services.remote.run({
          runId,
          docId,
          block,
          spec,
          ...(signal ? { signal } : {}),
          ...placement,
        });
        result = submitted.result;
        head = submitted.head;
        attempts = submitted.attempts;
        outputs = result.outputs;
        remoteTicket = submitted.ticket;
      } else {
        const submitted = await pool.submit(spec, {
          ...(block.headName !== null ? { headName: block.headName } : {}),
          ...(signal ? { signal } : {}),
          ...placement,
        });
        result = submitted.result;
        head = submitted.head;
        attempts = submitted.attempts;
        outputs = result.outputs;
      }
      // Before the cache, the ticket and the database: what cannot be stored faithfully fails the block here.
      outputs = checkOutputs(block.id, outputs, limits.outputBytes);
      outputs = checkFairness(
        plan.fairness,
        block,
        { ...outputs },
        limits.outputBytes,
        (data) => void events.emit('fairness_checked', block.id, data),
        hit !== undefined,
      );
      if (key !== undefined && !hit) await store.cachePut(key, outputs);
      if (remoteTicket) {
        ticketLeaves.push(remoteTicket.leafHash);
        history.push({
          time: new Date(),
          action: 'TICKET',
          text: ticketLineText({ ...remoteTicket, runId, blockId: block.id }, historyForm),
        });
        await events.emit('ticket_issued', block.id, {
          logIndex: remoteTicket.logIndex,
          keyId: remoteTicket.keyId,
          compact: remoteTicket.compact,
          leafHash: remoteTicket.leafHash,
        });
      } else if (tickets && !hit) {
        const issued = await tickets.issue({
          docId,
          runId,
          blockId: block.id,
          headId: head ?? 'unknown',
          inputs: blockInputs,
          outputs,
          source: block.source,
          startedAt,
          durationMs: result?.durationMs ?? performance.now() - t0,
          executor: `${block.lang}@${executor.version}`,
          lang: block.lang,
          attributes: block.attributes,
          upstream: block.upstream,
          ...(result?.quantum ? { quantum: result.quantum } : {}),
        });
        ticketLeaves.push(issued.leafHash);
        history.push({
          time: new Date(),
          action: 'TICKET',
          text: ticketLineText({ ...issued, runId, blockId: block.id }, historyForm),
        });
        await events.emit('ticket_issued', block.id, {
          logIndex: issued.logIndex,
          keyId: issued.keyId,
          compact: issued.compact,
          leafHash: issued.leafHash,
        });
      }
      outputHashes.set(block.id, sha256(canonicalJson(outputs)));
      await finish(
        block,
        {
          id: block.id,
          lang: block.lang,
          head,
          status: 'succeeded',
          durationMs: result?.durationMs ?? performance.now() - t0,
          outputs,
          error: null,
          attempts,
          cached: hit !== undefined,
        },
        startedAt,
      );
    } catch (error) {
      // Error texts may quote a block's output (stderr): the database must be able to hold them.
      const data = storable(serializeError(error)) as SerializedError;
      // Cancelled before any head took it: it never started.
      if (data.code === 'cancelled' && attempts === 0) return await skip(block, CANCELLED_REASON);
      await finish(
        block,
        {
          id: block.id,
          lang: block.lang,
          head,
          status: data.code === 'cancelled' ? 'cancelled' : 'failed',
          durationMs: performance.now() - t0,
          outputs: {},
          error: data,
          attempts,
          cached: false,
        },
        startedAt,
      );
    }
  };

  // Scheduling: a block is ready when all its upstream blocks succeeded; ready blocks start in plan order, up
  // to `concurrency` at once. When a block does not succeed its dependents are skipped, transitively; a failure
  // without continue_on_error, a cancel or a write that failed stops the run: nothing new starts.
  const position = new Map(blocks.map((b, i) => [b.id, i]));
  const dependents = new Map<string, PlannedBlock[]>();
  const waitingOn = new Map<string, number>();
  const isDone = (id: string): boolean => resume?.done.has(id) === true;
  for (const block of blocks) {
    waitingOn.set(block.id, block.upstream.filter((up) => !isDone(up)).length);
    for (const up of block.upstream) {
      const list = dependents.get(up);
      if (list) list.push(block);
      else dependents.set(up, [block]);
    }
  }
  const ready = blocks.filter((b) => !isDone(b.id) && waitingOn.get(b.id) === 0);
  const makeReady = (block: PlannedBlock): void => {
    const at = position.get(block.id) ?? 0;
    let i = ready.length;
    while (i > 0 && (position.get((ready[i - 1] as PlannedBlock).id) ?? 0) > at) i--;
    ready.splice(i, 0, block);
  };
  const skipDependents = async (block: PlannedBlock): Promise<void> => {
    for (const next of dependents.get(block.id) ?? []) {
      if (reports.get(next.id)?.status !== 'pending') continue;
      await skip(next, `upstream block ${block.id} did not succeed`);
      await skipDependents(next);
    }
  };
  let stopping = false;
  const settled = async (block: PlannedBlock): Promise<void> => {
    const status = reports.get(block.id)?.status;
    if (status === 'succeeded') {
      for (const next of dependents.get(block.id) ?? []) {
        const left = (waitingOn.get(next.id) ?? 1) - 1;
        waitingOn.set(next.id, left);
        if (left === 0 && reports.get(next.id)?.status === 'pending') makeReady(next);
      }
      return;
    }
    if (status !== 'skipped' && !block.continueOnError) stopping = true;
    await skipDependents(block);
  };
  // The loop sleeps until a block settles or the run is cancelled (`woken` covers a wake-up while it works).
  let woken = false;
  let wake = (): void => undefined;
  const wakeUp = (): void => {
    woken = true;
    wake();
  };
  signal?.addEventListener('abort', wakeUp, { once: true });
  const running = new Map<string, Promise<void>>();
  try {
    for (;;) {
      fatal ??= events.failure;
      const stopReason = signal?.aborted
        ? CANCELLED_REASON
        : fatal
          ? 'the run could not be recorded'
          : stopping
            ? 'an earlier block failed'
            : undefined;
      if (stopReason !== undefined) {
        ready.length = 0;
        for (const block of blocks) if (reports.get(block.id)?.status === 'pending') await skip(block, stopReason);
      }
      while (ready.length > 0 && running.size < concurrency) {
        const block = ready.shift() as PlannedBlock;
        if (reports.get(block.id)?.status !== 'pending') continue;
        const promise = execute(block)
          .catch((error: unknown) => {
            fatal ??= { code: 'internal', message: serializeError(error).message, retryable: false };
          })
          .then(() => settled(block))
          .finally(() => {
            running.delete(block.id);
            wakeUp();
          });
        running.set(block.id, promise);
      }
      if (running.size === 0) break;
      if (!woken) await new Promise<void>((resolve) => (wake = resolve));
      woken = false;
    }
  } finally {
    signal?.removeEventListener('abort', wakeUp);
  }

  await events.settled();
  fatal ??= events.failure;
  const ordered = blocks.map((b) => reports.get(b.id) as BlockReport);
  const outputs: Record<string, unknown> = {};
  for (const report of ordered) if (report.status === 'succeeded') Object.assign(outputs, report.outputs);
  const firstFailure = blocks.find((b) => reports.get(b.id)?.status === 'failed' && !b.continueOnError);
  const stopped = ordered.find((b) => b.status === 'cancelled');
  // Cancelled: a block was stopped, or the cancel kept blocks from starting (a cancel after the last block
  // finished changes nothing).
  const cancelled =
    stopped !== undefined ||
    (signal?.aborted === true && ordered.some((b) => b.status === 'skipped' && b.reason === CANCELLED_REASON));
  let error: SerializedError | null = null;
  if (fatal) error = fatal;
  else if (cancelled) {
    const reason: unknown = signal?.reason;
    error = signal?.aborted
      ? {
          code: 'cancelled',
          message: reason instanceof Error ? reason.message : typeof reason === 'string' ? reason : CANCELLED_REASON,
          retryable: false,
        }
      : (stopped?.error ?? { code: 'cancelled', message: CANCELLED_REASON, retryable: false });
  } else if (firstFailure) {
    const failed = reports.get(firstFailure.id)?.error;
    error = failed ? { ...failed, message: failed.message } : null;
  } else if (plan.outputSchema !== null) {
    let issues: ReturnType<typeof validateAgainst>;
    try {
      issues = validateAgainst(plan.outputSchema as object, outputs);
    } catch (schemaError) {
      issues = [{ path: '', keyword: 'schema', message: serializeError(schemaError).message, params: {} }];
    }
    if (issues.length > 0)
      error = {
        code: 'block_failed',
        message: `the workflow outputs do not match ## Output_Schema: ${issues.map((i) => `at ${i.path || '/'}: ${i.message}`).join('; ')}`,
        retryable: false,
        details: { issues },
      };
  }
  const status = fatal ? 'failed' : cancelled ? 'cancelled' : error ? 'failed' : 'succeeded';
  const durationMs = performance.now() - started;
  const named = ordered.slice(0, SUMMARY_BLOCKS);
  const summary =
    named.map((b) => `${b.id} ${b.status === 'succeeded' ? `ok on ${b.head ?? '?'}` : b.status}`).join(', ') +
    (ordered.length > named.length ? ` and ${ordered.length - named.length} more` : '');
  // One line of History, whatever the ids and the error say: no line breaks, no control characters, bounded.
  const executeText = historyText(
    `run ${runId} ${status} in ${seconds(durationMs)} by ${identity}: ${summary}${error ? ` (${historyText(error.message, 500)})` : ''}`,
    4000,
  );
  // The run happened and is recorded; a record that cannot be signed leaves only its [EXECUTE] line unsigned.
  const record = await signRunRecord(tickets, {
    docId,
    runId,
    identity,
    status,
    startedAt: startedAtDate,
    durationMs,
    ticketLeaves,
    regenerated,
    text: executeText,
    outputs,
    historyForm,
  });
  if (record.type === 'record_issued') void events.emit('record_issued', null, record.data);
  else if (record.type === 'record_failed') void events.emit('record_failed', null, record.data);
  history.push({ time: new Date(), action: 'EXECUTE', text: record.line });
  await store.finishRun(runId, status, outputs, error);
  const report: RunReport = { runId, status, blocks: ordered, outputs, error, durationMs, history };
  const failedBefore = events.failure;
  await events.emit('run_finished', null, { status, error });
  await events.settled();
  // The run is finished in the database either way; an event that could not be stored at the very end is the
  // caller's to hear about, since no run state is left to carry it.
  if (events.failure && events.failure !== failedBefore) throw new MamlError('internal', events.failure.message);
  return report;
}
