/**
 * The thread a block's quantum calls are simulated on, started at the block's first call and ended with the
 * block: the head's event loop stays free (heartbeats, the block's other calls queue), and a call that runs past
 * the block's remaining simulator time is stopped by terminating the thread (the next call starts a new one).
 */
import { Worker } from 'node:worker_threads';
import type { QuantumCallLimits } from './call-limits.js';
import type { CallRequest } from './call-messages.js';
import type { FromCallThread, ToCallThread } from './call-thread-messages.js';
import type { EvaluationOutcome } from './evaluate.js';

const WORKER = new URL('./call-worker.js', import.meta.url);
/** Heap of the call thread: parsing and results; state vectors are typed arrays bounded by the memory guard. */
const HEAP_MB = 256;

export type ThreadOutcome =
  | { readonly kind: 'done'; readonly outcome: EvaluationOutcome; readonly ms: number }
  | { readonly kind: 'timed_out'; readonly ms: number }
  | { readonly kind: 'died'; readonly message: string; readonly ms: number };

function startWorker(): Worker {
  const worker = new Worker(WORKER, { resourceLimits: { maxOldGenerationSizeMb: HEAP_MB } });
  // Each evaluation's own listeners report errors; this keeps an idle thread's death from being uncaught.
  worker.on('error', () => undefined);
  return worker;
}

export class CallThread {
  private worker: Worker | undefined;

  /** Evaluates one request, giving up (and ending the thread) after `timeoutMs`. */
  evaluate(request: CallRequest, limits: QuantumCallLimits, timeoutMs: number): Promise<ThreadOutcome> {
    const worker = (this.worker ??= startWorker());
    const started = performance.now();
    return new Promise<ThreadOutcome>((resolve) => {
      const settle = (outcome: ThreadOutcome, keep: boolean): void => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        if (!keep) this.stop();
        resolve(outcome);
      };
      const elapsed = (): number => performance.now() - started;
      const timer = setTimeout(() => settle({ kind: 'timed_out', ms: elapsed() }, false), Math.max(1, timeoutMs));
      const onMessage = (message: FromCallThread): void => {
        if (message.id === request.id) settle({ kind: 'done', outcome: message.outcome, ms: message.ms }, true);
      };
      const onError = (error: Error & { code?: string }): void =>
        settle(
          {
            kind: 'died',
            ms: elapsed(),
            message:
              error.code === 'ERR_WORKER_OUT_OF_MEMORY'
                ? 'the simulation ran out of memory'
                : `the simulation thread failed: ${error.message}`,
          },
          false,
        );
      const onExit = (code: number): void =>
        settle({ kind: 'died', ms: elapsed(), message: `the simulation thread exited (status ${code})` }, false);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      const message: ToCallThread = { type: 'evaluate', request, limits };
      worker.postMessage(message);
    });
  }

  /** Ends the thread (a later call starts a new one). */
  stop(): void {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) void worker.terminate();
  }
}
