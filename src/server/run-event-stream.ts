/**
 * Streams a run's events to one subscriber: the events so far (from `afterSeq` on), then live ones from the bus,
 * without gaps or repeats. The live listener is attached first. For a run live in this process the events so far
 * come from the store's memory at that same moment, so nothing waits for the database; otherwise they are read
 * from the database (where a run that is not live here has all its events), merged with whatever arrived on the
 * listener meanwhile, in sequence order. Anything at or below the last sequence sent is dropped. Resolves after
 * `run_finished` has been sent, or on `stop()`.
 */
import { runEventFromRow } from '../runtime/index.js';
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
  function stop(): void {
    if (finished) return;
    finished = true;
    unsubscribe();
    resolveDone();
  }
  const live = services.runs.liveRun(runId);
  if (live) {
    replaying = false;
    for (const e of live.events) deliver(e);
    return { done, stop };
  }
  void (async () => {
    const stored = await services.store.getRun(runId).catch(() => undefined);
    // A run may have started here after the listener was attached: its events arrived there and are merged in.
    // Rows of a type this version does not know (written by a newer gateway) are left out.
    const replay: RunEventRecord[] = (stored?.events ?? []).flatMap((e) => runEventFromRow(runId, e) ?? []);
    replaying = false;
    for (const e of [...replay, ...pending].sort((a, b) => a.seq - b.seq)) deliver(e);
    pending.length = 0;
    // A run that is neither live here nor finished in the database (another gateway's, or interrupted) ends now.
    if (!finished && !services.runs.isRunning(runId) && stored?.run.status !== 'running') stop();
  })();
  return { done, stop };
}
