/**
 * The runtime's RunStore, observed: each event is published on the event bus the moment it is added, with the
 * sequence number and time it is then stored under, so live subscribers never wait for the database. Events
 * published but not yet stored are kept until their insert finishes, so a subscriber that joins in between
 * gets them from here instead of missing them (see run-event-stream.ts). Run creation resolves a waiter so
 * `POST /v1/runs` answers once the row exists.
 */
import { RunStore, type Database } from '../runtime/index.js';
import type { EventBus, RunEventRecord } from './event-bus.js';

export class ObservedRunStore extends RunStore {
  private readonly created = new Map<string, () => void>();
  /** Published events whose insert has not finished yet, by run, in sequence order. */
  private readonly unstored = new Map<string, RunEventRecord[]>();

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
    let pending = this.unstored.get(runId);
    if (!pending) this.unstored.set(runId, (pending = []));
    pending.push(event);
    this.bus.publish(event);
    try {
      await this.insertEvent(runId, event.seq, type, blockId, data, event.at);
    } finally {
      const i = pending.indexOf(event);
      if (i !== -1) pending.splice(i, 1);
      if (pending.length === 0 && this.unstored.get(runId) === pending) this.unstored.delete(runId);
    }
  }

  /** The run's events that were published but are not stored yet (a copy). */
  unstoredEvents(runId: string): RunEventRecord[] {
    return [...(this.unstored.get(runId) ?? [])];
  }

  forget(runId: string): void {
    this.created.delete(runId);
  }
}
