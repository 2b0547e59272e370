/** In-process fan-out of run events to live subscribers (SSE streams, WebSockets, MCP progress). */
export interface RunEventRecord {
  readonly runId: string;
  /** Same sequence number as the stored row in maml.events: a subscriber that replayed stored events skips ≤ seq. */
  readonly seq: number;
  readonly at: string;
  readonly type: string;
  readonly blockId: string | null;
  readonly data: unknown;
}

export type RunEventListener = (event: RunEventRecord) => void;

export class EventBus {
  private readonly byRun = new Map<string, Set<RunEventListener>>();

  subscribe(runId: string, listener: RunEventListener): () => void {
    let set = this.byRun.get(runId);
    if (!set) this.byRun.set(runId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.byRun.delete(runId);
    };
  }

  publish(event: RunEventRecord): void {
    for (const listener of this.byRun.get(event.runId) ?? []) listener(event);
  }

  get subscribers(): number {
    let n = 0;
    for (const set of this.byRun.values()) n += set.size;
    return n;
  }
}
