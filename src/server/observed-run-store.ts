/**
 * The runtime's RunStore, observed: each stored event is also published on the event bus with the sequence
 * number it was stored under, and run creation resolves a waiter so `POST /v1/runs` answers once the row exists.
 */
import { RunStore, type Database } from '../runtime/index.js';
import type { EventBus } from './event-bus.js';

export class ObservedRunStore extends RunStore {
  // Mirrors RunStore's private counter: both increment synchronously on each addEvent call, in call order.
  private readonly counters = new Map<string, number>();
  private readonly created = new Map<string, () => void>();

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
    const seq = (this.counters.get(runId) ?? 0) + 1;
    this.counters.set(runId, seq);
    await super.addEvent(runId, type, blockId, data);
    if (type === 'run_finished') this.counters.delete(runId);
    this.bus.publish({ runId, seq, at: new Date().toISOString(), type, blockId: blockId ?? null, data });
  }

  forget(runId: string): void {
    this.created.delete(runId);
  }
}
