/**
 * Streams a run's events to one subscriber: the stored events first (from `afterSeq` on), then live ones from
 * the bus, without gaps or repeats. Events are published before they are stored, so at the moment the live
 * listener is attached every earlier event is either stored (and found by the read that follows) or still
 * waiting for its insert (and taken from the store's unstored list at that same moment); later ones arrive on
 * the listener. Everything is delivered in sequence order and anything at or below the last sequence sent is
 * dropped. Resolves after `run_finished` has been sent, or on `stop()`.
 */
import type { RunEventRecord } from './event-bus.js';
import type { GatewayServices } from './services.js';

export interface EventStream {
  readonly done: Promise<void>;
  stop(): void;
}

export function streamRunEvents(
  services: GatewayServices,
  runId: string,
  send: (event: RunEventRecord) => void,
  afterSeq = 0,
): EventStream {
  let last = afterSeq;
  let finished = false;
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  const pending: RunEventRecord[] = [];
  let replaying = true;
  const deliver = (event: RunEventRecord): void => {
    if (finished || event.seq <= last) return;
    last = event.seq;
    send(event);
    if (event.type === 'run_finished') stop();
  };
  const unsubscribe = services.bus.subscribe(runId, (event) => (replaying ? pending.push(event) : deliver(event)));
  pending.push(...services.store.unstoredEvents(runId));
  function stop(): void {
    if (finished) return;
    finished = true;
    unsubscribe();
    resolveDone();
  }
  void (async () => {
    const stored = await services.store.getRun(runId).catch(() => undefined);
    // Stored and pending events merged in sequence order: with PostgreSQL, inserts may finish out of order, so
    // the read can hold event n + 1 while event n is still pending.
    const replay: RunEventRecord[] = (stored?.events ?? []).map((e) => ({
      runId,
      seq: e.seq,
      at: e.at,
      type: e.type,
      blockId: e.blockId,
      data: e.data,
    }));
    replaying = false;
    for (const e of [...replay, ...pending].sort((a, b) => a.seq - b.seq)) deliver(e);
    pending.length = 0;
    // A run that is neither live here nor finished in the database (another gateway's, or interrupted) ends now.
    if (!finished && !services.runs.isRunning(runId) && stored?.run.status !== 'running') stop();
  })();
  return { done, stop };
}
