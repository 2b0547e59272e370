/**
 * Accepts runs and drives them on the head pool in the background: `submit` plans the run (planRun: the same
 * checks and refusals as `maml run` and `maml_run`; a refusal is thrown with every diagnostic in its details),
 * then answers with the run id as soon as the run row exists; `cancel` aborts,
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
import {
  executePlan,
  blockFinished,
  documentHash,
  loadResumeState,
  type DurableOwner,
  type RunEventListener,
  type RunPlan,
  isFederated,
  planFederated,
  planRefusalError,
  planRun,
  runFederated,
  type ExecuteServices,
  type HeadPool,
  type RunEvent,
  type RunPolicy,
  type RunStore,
  type TicketIssuer,
} from '../runtime/index.js';
import type { RemoteBlocks } from '../runtime/queue/remote-blocks.js';
import type { DocumentStore } from './document-store.js';
import type { EventBus } from './event-bus.js';
import { LiveRuns, type LiveRunView } from './live-runs.js';
import type { GatewayMetrics } from './metrics.js';

export interface RunManagerOptions {
  readonly store: RunStore;
  /** Where live runs' events are published as they happen. */
  readonly bus: EventBus;
  readonly documents: DocumentStore;
  readonly pool: HeadPool;
  readonly tickets: TicketIssuer;
  readonly metrics: GatewayMetrics;
  /** What planRun needs to know of the runtime and machine (Runtime.policy): caps, concurrency, sandbox, heads. */
  readonly policy: () => RunPolicy;
  /** Runs admitted at once (being recorded, waiting for heads or running); default `DEFAULT_MAX_RUNS`. */
  readonly maxRuns?: number;
  /** RuntimeOptions.cacheDir, for the executors that run in this process (SQL). */
  readonly cacheDir?: string | null;
  /**
   * Durable mode: blocks go to the queue's workers, and runs are owned under `owner`'s lease; a drain leaves the
   * runs that did not finish to be taken over instead of cancelling them.
   */
  readonly durable?: { readonly remote: RemoteBlocks; readonly owner: DurableOwner };
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
  /** Run a document the threat scan flags: only for a principal with the explicit `maml:allow-risk` scope. */
  readonly allowRisk?: boolean;
}

interface InFlight {
  readonly controller: AbortController;
  readonly done: Promise<void>;
}

export class RunManager {
  private readonly inFlight = new Map<string, InFlight>();
  private accepting = true;
  private admitted = 0;
  private readonly live: LiveRuns;
  readonly maxRuns: number;

  constructor(private readonly options: RunManagerOptions) {
    this.maxRuns = options.maxRuns ?? DEFAULT_MAX_RUNS;
    this.live = new LiveRuns(options.bus);
    options.metrics.watchAdmission(this);
  }

  /** The run's owner and events so far when it is live in this process; undefined otherwise (read the database). */
  liveRun(runId: string): LiveRunView | undefined {
    return this.live.get(runId);
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

  /** Parses, plans and records the run; the slot is released when the run has finished. */
  private async start(request: SubmitRequest, slot: { held: boolean; release(): void }): Promise<string> {
    const { store, metrics, pool } = this.options;
    const doc = parse(request.text);
    const planned = planRun(
      doc,
      { inputs: request.inputs ?? {}, identity: request.identity, allowRisk: request.allowRisk ?? false },
      this.options.policy(),
    );
    // A refusal is the caller's to hear, with every diagnostic; no run row exists.
    if (!planned.ok) throw planRefusalError(planned);
    const federated = isFederated(doc) ? planFederated(doc, planned.plan) : undefined;
    if (federated !== undefined && !federated.ok)
      throw new MamlError('invalid_document', 'the `federated:` section cannot run', {
        details: { diagnostics: federated.diagnostics },
      });
    const runId = randomUUID();
    const controller = new AbortController();
    let created: () => void = () => undefined;
    const whenCreated = new Promise<void>((resolve) => (created = resolve));
    const durable = this.options.durable;
    const services: ExecuteServices = {
      store,
      pool,
      runId,
      signal: controller.signal,
      tickets: this.options.tickets,
      cacheDir: this.options.cacheDir ?? null,
      documentHash: documentHash(doc),
      ...(durable ? { remote: durable.remote, owner: durable.owner } : {}),
      subscribers: [
        this.live.subscriber(runId, request.identity),
        (event: RunEvent) => {
          if (event.type === 'run_started') created();
        },
        this.metricsListener(),
      ],
    };
    // A `federated:` document runs as rounds of its client block (docs/federated.md).
    const run = federated?.ok
      ? runFederated(planned.plan, federated.plan, services)
      : executePlan(planned.plan, services);
    // Until `run_started` the row may not exist: a rejection then (the database failed) goes to the caller.
    await Promise.race([whenCreated, run.then(() => undefined)]).catch((error: unknown) => {
      this.live.ended(runId);
      throw error;
    });
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
        this.live.ended(runId);
        this.inFlight.delete(runId);
        slot.release();
      }
    })();
    this.inFlight.set(runId, { controller, done });
    await saved;
    return runId;
  }

  private metricsListener(): RunEventListener {
    const { metrics } = this.options;
    return (event) => {
      const finished = blockFinished(event);
      if (finished) {
        const b = finished.data;
        metrics.blockFinished(b.lang, b.head, finished.status, b.durationMs, b.error?.code);
      }
    };
  }

  /** Ids of the runs in flight here (a durable gateway renews their leases). */
  runIds(): string[] {
    return [...this.inFlight.keys()];
  }

  /**
   * Goes on with a durable run this gateway has just taken over (its gateway stopped): from its stored plan and
   * what it had committed; its events go on from the last one recorded, so SSE clients that reconnect with
   * Last-Event-ID miss nothing. Counts against `maxRuns` like a submission.
   */
  async takeOver(runId: string): Promise<void> {
    const durable = this.options.durable;
    if (!durable || this.inFlight.has(runId) || !this.accepting) return;
    const { store, metrics, pool } = this.options;
    const stored = await store.loadPlan(runId);
    const resume = await loadResumeState(store, runId, 'takeover');
    if (!stored || !resume) return;
    const plan = stored.plan as RunPlan;
    const controller = new AbortController();
    this.admitted++;
    metrics.runsInFlight.inc();
    const done = (async () => {
      try {
        const report = await executePlan(plan, {
          store,
          pool,
          runId,
          signal: controller.signal,
          tickets: this.options.tickets,
          remote: durable.remote,
          owner: durable.owner,
          resume,
          subscribers: [(event) => this.options.bus.publish(event), this.metricsListener()],
        });
        metrics.runs.inc({ status: report.status });
      } catch {
        metrics.runs.inc({ status: 'error' });
      } finally {
        metrics.runsInFlight.dec();
        this.inFlight.delete(runId);
        this.admitted--;
      }
    })();
    this.inFlight.set(runId, { controller, done });
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
    // Durable runs are left as they are: their leases run out and a gateway (this one restarted) takes them over.
    if (this.options.durable) return;
    for (const id of this.inFlight.keys()) this.cancel(id, 'the gateway shut down before the run finished');
    await all();
  }
}
