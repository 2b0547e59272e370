/**
 * The runs live in this process, as a subscriber of their event streams: each event is published on the event
 * bus the moment the run emits it, so live subscribers never wait for the database, and kept in memory from
 * `run_started` on, so a new subscriber gets the run's events so far and its owner without a query. A run's copy
 * is dropped when its run has ended (executePlan resolves only after every event is stored), after which the
 * database has them all.
 */
import type { RunEvent, RunEventListener } from '../runtime/index.js';
import type { EventBus } from './event-bus.js';

export interface LiveRunView {
  readonly identity: string;
  /** Every event of the run so far, in sequence order (a copy). */
  readonly events: readonly RunEvent[];
}

export class LiveRuns {
  private readonly runs = new Map<string, { identity: string; events: RunEvent[] }>();

  constructor(private readonly bus: EventBus) {}

  /** The subscriber for one run's stream. */
  subscriber(runId: string, identity: string): RunEventListener {
    return (event) => {
      if (event.type === 'run_started') this.runs.set(runId, { identity, events: [] });
      this.runs.get(runId)?.events.push(event);
      this.bus.publish(event);
    };
  }

  /** The run's owner and events so far when it is live in this process; undefined otherwise (read the database). */
  get(runId: string): LiveRunView | undefined {
    const live = this.runs.get(runId);
    return live && { identity: live.identity, events: [...live.events] };
  }

  /** The run will add no more events and all of them are stored. */
  ended(runId: string): void {
    this.runs.delete(runId);
  }
}
