// Messages the scheduler sends to a head process (one direction of the head protocol).
import type { TaskSpec } from '../task-spec.js';

export type ToHead =
  /** Run one attempt of a task; the head answers with `result` or `failed` carrying the same attemptId. */
  | { readonly type: 'run'; readonly attemptId: string; readonly spec: TaskSpec }
  /** Heartbeat; answered with `pong` carrying the same seq. */
  | { readonly type: 'ping'; readonly seq: number }
  /** Stop the attempt's processes; it then fails with `cancelled`. */
  | { readonly type: 'cancel'; readonly attemptId: string }
  /** Finish and exit. */
  | { readonly type: 'shutdown' };
