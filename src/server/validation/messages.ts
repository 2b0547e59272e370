/**
 * Messages between the validation pool and its worker processes, one union per direction, switched on `type`.
 * Errors cross the process boundary as serialized data (code, message, retryable), never as Error objects.
 */
import type { Profile } from '../../format/index.js';
import type { SerializedError } from '../../shared/index.js';

export type ToWorker = {
  readonly type: 'validate';
  readonly id: number;
  readonly text: string;
  readonly profile: Profile;
};

/** `json` is the response body, serialized in the worker so the event loop only copies a string. */
export type FromWorker =
  /** Sent once, after the worker's modules have loaded: the time limit of a document counts from here. */
  | { readonly type: 'ready' }
  | { readonly type: 'answer'; readonly id: number; readonly json: string }
  | { readonly type: 'error'; readonly id: number; readonly error: SerializedError }
  /** Sent just before a worker exits on an exception nothing caught: why it is about to stop. */
  | { readonly type: 'failure'; readonly message: string };
