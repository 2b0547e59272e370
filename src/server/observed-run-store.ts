/**
 * The runtime's RunStore, observed: each event is published on the event bus the moment it is added, with the
 * sequence number and time it is then stored under, so live subscribers never wait for the database. While a run
 * is live in this process its events are also kept in memory (from `run_started` on), so a new subscriber gets
 * the run's history and its owner without a query; the copy is dropped once the run has finished and every one of
 * its events is stored, after which the database has them all. Run creation resolves a waiter so `POST /v1/runs`
 * answers once the row exists.
 */
import { RunStore, type Database } from '../runtime/index.js';
import type { EventBus, RunEventRecord } from './event-bus.js';

interface LiveRun {
  readonly identity: string;
  readonly events: RunEventRecord[];
  /** Inserts not finished yet. */
  storing: number;
  finished: boolean;
}

export interface LiveRunView {
  readonly identity: string;
  /** Every event of the run so far, in sequence order (a copy). */
  readonly events: readonly RunEventRecord[];
}

export class ObservedRunStore extends RunStore {
  private readonly created = new Map<string, () => void>();
  private readonly live = new Map<string, LiveRun>();

  constructor(
    db: Database,
    private readonly bus: EventBus,
  ) {
    super(db);
  }

  /** Resolves when `createRun` for `runId` has been stored. */
  whenCreated(runId: string): Promise<void> {
    return new Promise((resolve) => this.created.set(runId, resolve));
  }

  override async createRun(run: Parameters<RunStore['createRun']>[0]): Promise<void> {
    await super.createRun(run);
    this.live.set(run.id, { identity: run.identity, events: [], storing: 0, finished: false });
    this.created.get(run.id)?.();
    this.created.delete(run.id);
  }

  override async addEvent(runId: string, type: string, blockId: string | undefined, data: unknown = {}): Promise<void> {
    const event: RunEventRecord = {
      runId,
      seq: this.nextSeq(runId, type),
      at: new Date().toISOString(),
      type,
      blockId: blockId ?? null,
      data,
    };
    const live = this.live.get(runId);
    if (live) {
      live.events.push(event);
      live.storing++;
    }
    this.bus.publish(event);
    try {
      await this.insertEvent(runId, event.seq, type, blockId, data, event.at);
    } finally {
      if (live) {
        live.storing--;
        if (type === 'run_finished') live.finished = true;
        this.release(runId, live);
      }
    }
  }

  /** The run's owner and events so far when it is live in this process; undefined otherwise (read the database). */
  liveRun(runId: string): LiveRunView | undefined {
    const live = this.live.get(runId);
    return live && { identity: live.identity, events: [...live.events] };
  }

  /** The run will add no more events (it ended, or failed before `run_finished`). */
  runEnded(runId: string): void {
    const live = this.live.get(runId);
    if (!live) return;
    live.finished = true;
    this.release(runId, live);
  }

  private release(runId: string, live: LiveRun): void {
    if (live.finished && live.storing === 0 && this.live.get(runId) === live) this.live.delete(runId);
  }

  forget(runId: string): void {
    this.created.delete(runId);
    this.live.delete(runId);
  }
}
