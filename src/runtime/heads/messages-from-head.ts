// Messages a head process sends to the scheduler (the other direction of the head protocol).
import type { SerializedError } from '../../shared/index.js';
import type { TaskResult } from '../task-spec.js';

export type FromHead =
  | { readonly type: 'ready'; readonly pid: number; readonly langs: readonly string[] }
  | { readonly type: 'pong'; readonly seq: number }
  | { readonly type: 'result'; readonly attemptId: string; readonly result: TaskResult }
  /** The block's own failure, serialized (code + retryable): never retried by the pool. */
  | { readonly type: 'failed'; readonly attemptId: string; readonly error: SerializedError };
