// Messages between a head and the thread that evaluates its block's quantum calls, one type per direction.
import type { QuantumCallLimits } from './call-limits.js';
import type { CallRequest } from './call-messages.js';
import type { EvaluationOutcome } from './evaluate.js';

export interface ToCallThread {
  readonly type: 'evaluate';
  readonly request: CallRequest;
  readonly limits: QuantumCallLimits;
}

export interface FromCallThread {
  readonly type: 'evaluated';
  readonly id: number;
  readonly outcome: EvaluationOutcome;
  /** Time spent in the simulator, measured on this thread. */
  readonly ms: number;
}
