// The default size of the validation pool for `maml serve`.
import { availableParallelism } from 'node:os';

/** One validation thread per core beyond the event loop's, at most 8 (validation holds no state). */
export function defaultValidateThreads(cores = availableParallelism()): number {
  return Math.max(0, Math.min(8, cores - 1));
}
