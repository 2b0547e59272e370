/** In-process fan-out of run events to live subscribers (SSE streams, WebSockets, MCP progress). */
import type { RunEvent } from '../runtime/index.js';

/**
 * What subscribers receive: the run's RunEvent as executePlan emitted it (same `seq` as the stored row in
 * maml.events, so a subscriber that replayed stored events skips ≤ seq).
 */
export type RunEventRecord = RunEvent;

export type RunEventListener = (event: RunEvent) => void;

export class EventBus {
  private readonly byRun = new Map<string, Set<RunEventListener>>();
  /** Listeners of every run's events (the dashboard's run list). */
  private readonly all = new Set<RunEventListener>();

  /** Every event of every run until the returned function is called. */
  subscribeAll(listener: RunEventListener): () => void {
    this.all.add(listener);
    return () => void this.all.delete(listener);
  }

  subscribe(runId: string, listener: RunEventListener): () => void {
    let set = this.byRun.get(runId);
    if (!set) this.byRun.set(runId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.byRun.delete(runId);
    };
  }

  publish(event: RunEvent): void {
    for (const listener of this.byRun.get(event.runId) ?? []) listener(event);
    for (const listener of this.all) listener(event);
  }

  get subscribers(): number {
    let n = 0;
    for (const set of this.byRun.values()) n += set.size;
    return n + this.all.size;
  }
}
