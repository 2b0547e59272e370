/**
 * Accepts runs and drives them on the head pool in the background: `submit` answers with the run id as soon as
 * the run row exists (problems found before anything runs are thrown to the caller instead), `cancel` aborts,
 * and `drain` lets in-flight runs finish for a grace period, then cancels the rest so each is recorded as
 * `cancelled` rather than left `running`.
 *
 * Admission: at most `maxRuns` runs are admitted at once, counted from the moment a submission is taken (before
 * the document is parsed) until its run has finished, whether it waits for a head or runs. A submission beyond
 * that is refused at once, `unavailable` and retryable, before any work is spent on it, so a burst of
 * submissions gets answers instead of an ever longer queue in the database and the head pool.
 */
import { randomUUID } from 'node:crypto';
import { parse } from '../format/index.js';
import { MamlError } from '../shared/index.js';
import { runWorkflow, type HeadPool, type RunEvent, type RunLimits, type TicketIssuer } from '../runtime/index.js';
import type { DocumentStore } from './document-store.js';
import type { GatewayMetrics } from './metrics.js';
import type { ObservedRunStore } from './observed-run-store.js';

export interface RunManagerOptions {
  readonly store: ObservedRunStore;
  readonly documents: DocumentStore;
  readonly pool: HeadPool;
  readonly tickets: TicketIssuer;
  readonly metrics: GatewayMetrics;
  /** Blocks running at once within one run. */
  readonly concurrency?: number;
  /** The operator's caps on what a document may ask for. */
  readonly limits?: RunLimits;
  readonly unsafeNoSandbox?: boolean;
  /** Runs admitted at once (being recorded, waiting for heads or running); default `DEFAULT_MAX_RUNS`. */
  readonly maxRuns?: number;
}

/** Default admission bound: the 1,000 concurrent runs the gateway is built for, with room to spare. */
export const DEFAULT_MAX_RUNS = 2000;

/** What a refused submission is told to wait, in seconds (the Retry-After header). */
export const RUNS_FULL_RETRY_AFTER_S = 2;

export interface SubmitRequest {
  readonly text: string;
  readonly inputs?: Readonly<Record<string, unknown>>;
  /** The authenticated subject: checked against permissions.execute and recorded as the run's identity. */
  readonly identity: string;
}

interface InFlight {
  readonly controller: AbortController;
  readonly done: Promise<void>;
}

export class RunManager {
  private readonly inFlight = new Map<string, InFlight>();
  private accepting = true;
  private admitted = 0;
  readonly maxRuns: number;

  constructor(private readonly options: RunManagerOptions) {
    this.maxRuns = options.maxRuns ?? DEFAULT_MAX_RUNS;
    options.metrics.watchAdmission(this);
  }

  get size(): number {
    return this.inFlight.size;
  }

  /** Submissions taken and runs not finished: what `maxRuns` bounds. */
  get admittedRuns(): number {
    return this.admitted;
  }

  isRunning(runId: string): boolean {
    return this.inFlight.has(runId);
  }

  async submit(request: SubmitRequest): Promise<string> {
    if (!this.accepting)
      throw new MamlError('unavailable', 'the gateway is shutting down; submit the run again in a few seconds', {
        retryable: true,
        details: { retryAfterSeconds: 5 },
      });
    const { metrics } = this.options;
    if (this.admitted >= this.maxRuns) {
      metrics.runsRefused.inc();
      throw new MamlError(
        'unavailable',
        `the gateway has ${this.admitted} runs queued or running, its limit (maml serve --max-runs ${this.maxRuns}); submit again in ${RUNS_FULL_RETRY_AFTER_S} s`,
        { retryable: true, details: { retryAfterSeconds: RUNS_FULL_RETRY_AFTER_S } },
      );
    }
    this.admitted++;
    // Until the run is handed to its background task, a failure here gives the slot back; after, the task does.
    const slot = { held: true, release: () => void this.admitted-- };
    try {
      return await this.start(request, slot);
    } catch (error) {
      if (slot.held) slot.release();
      throw error;
    }
  }

  /** Parses, checks and records the run; the slot is released when the run has finished. */
  private async start(request: SubmitRequest, slot: { held: boolean; release(): void }): Promise<string> {
    const { store, metrics } = this.options;
    const doc = parse(request.text);
    const runId = randomUUID();
    const controller = new AbortController();
    const created = store.whenCreated(runId);
    const run = runWorkflow({
      doc,
      runId,
      inputs: request.inputs ?? {},
      identity: request.identity,
      pool: this.options.pool,
      store,
      concurrency: this.options.concurrency ?? 4,
      signal: controller.signal,
      tickets: this.options.tickets,
      ...(this.options.limits ? { limits: this.options.limits } : {}),
      ...(this.options.unsafeNoSandbox ? { unsafeNoSandbox: true } : {}),
      onEvent: (event: RunEvent) => {
        if (event.type === 'block_finished') {
          const b = event.block;
          metrics.blockFinished(b.lang, b.head, b.status, b.durationMs, b.error?.code);
        }
      },
    });
    // Before the row exists, a rejection is a refusal (invalid document, permission, inputs): the caller's fault.
    const first = await Promise.race([
      created.then(() => 'created' as const),
      run.then(() => 'created' as const),
    ]).catch((error: unknown) => {
      store.forget(runId);
      throw error;
    });
    void first;
    metrics.runsInFlight.inc();
    slot.held = false;
    const saved = this.options.documents.save(runId, doc, request.identity);
    const done = (async () => {
      try {
        await saved.catch(() => undefined);
        const report = await run;
        metrics.runs.inc({ status: report.status });
      } catch {
        metrics.runs.inc({ status: 'error' });
      } finally {
        metrics.runsInFlight.dec();
        store.runEnded(runId);
        this.inFlight.delete(runId);
        slot.release();
      }
    })();
    this.inFlight.set(runId, { controller, done });
    await saved;
    return runId;
  }

  /** True when the run was in flight and is now cancelling. */
  cancel(runId: string, reason = 'the run was cancelled'): boolean {
    const entry = this.inFlight.get(runId);
    if (!entry) return false;
    entry.controller.abort(reason);
    return true;
  }

  /** Stops accepting runs; waits up to `graceMs` for in-flight ones, then cancels and waits for the rest. */
  async drain(graceMs: number): Promise<void> {
    this.accepting = false;
    const all = (): Promise<unknown> => Promise.allSettled([...this.inFlight.values()].map((r) => r.done));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([all(), new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
    for (const id of this.inFlight.keys()) this.cancel(id, 'the gateway shut down before the run finished');
    await all();
  }
}
