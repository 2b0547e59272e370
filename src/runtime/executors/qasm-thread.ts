/**
 * Runs OpenQASM simulations on a worker thread, so that a long simulation (the engine is synchronous) leaves the
 * calling process's event loop free — a head keeps answering heartbeats — and can be stopped: at the block's
 * timeout or when it is cancelled the thread is terminated (its kernel threads with it) and the block fails
 * `timeout` or `cancelled` once, on a head that stays healthy. The thread's heap is capped at the block's memory
 * limit (the state vector itself is checked by the simulator's memory guard before it is allocated).
 *
 * One idle thread is kept for the next block, so trivial blocks do not pay for a thread start; it does not keep
 * the process alive.
 */
import { Worker } from 'node:worker_threads';
import { MamlError, deserializeError } from '../../shared/index.js';
import { MAX_TIMER_MS } from '../duration.js';
import type { TaskSpec } from '../task-spec.js';
import type { QasmOptions, QasmRun } from './executor.js';
import type { FromQasmThread, ToQasmThread } from './qasm-thread-messages.js';

const WORKER = new URL('./qasm-worker.js', import.meta.url);
const MIB = 2 ** 20;
/** Smallest heap given to a simulation thread, whatever the memory limit: parsing alone needs some. */
const MIN_HEAP_MB = 64;

export interface QasmThreadRequest {
  readonly task: TaskSpec;
  readonly options: QasmOptions;
  readonly engineModule?: string;
  readonly signal?: AbortSignal;
}

/** What went wrong outside the engine: the thread was stopped or died. */
export type QasmThreadOutcome =
  | { readonly ok: true; readonly run: QasmRun }
  | { readonly ok: false; readonly error: MamlError; readonly engine: boolean };

let idle: { readonly worker: Worker; readonly heapMb: number } | undefined;
let ids = 0;

function take(heapMb: number): Worker {
  const kept = idle;
  idle = undefined;
  if (kept?.heapMb === heapMb) {
    kept.worker.ref();
    return kept.worker;
  }
  if (kept) void kept.worker.terminate();
  const worker = new Worker(WORKER, { resourceLimits: { maxOldGenerationSizeMb: heapMb } });
  // A job's own listeners handle its errors; these keep an idle thread's death from becoming an uncaught error.
  worker.on('error', () => undefined);
  worker.on('exit', () => {
    if (idle?.worker === worker) idle = undefined;
  });
  return worker;
}

function putBack(worker: Worker, heapMb: number): void {
  if (idle) {
    void worker.terminate();
    return;
  }
  worker.unref();
  idle = { worker, heapMb };
}

function mib(bytes: number): string {
  return `${Math.round(bytes / MIB)} MiB`;
}

/**
 * Simulates one block on a thread. `engine: true` marks the engine's own errors (the program's), which the
 * executor reports as the block's; the others (timeout, cancel, a dead thread) are final as they are.
 */
export function runOnQasmThread(request: QasmThreadRequest): Promise<QasmThreadOutcome> {
  const { task, signal } = request;
  const id = task.blockId;
  if (signal?.aborted)
    return Promise.resolve({
      ok: false,
      engine: false,
      error: new MamlError('cancelled', `block ${id} was cancelled`),
    });
  const heapMb = Math.max(MIN_HEAP_MB, Math.floor(task.limits.memoryLimitBytes / MIB));
  const worker = take(heapMb);
  const jobId = ++ids;
  return new Promise<QasmThreadOutcome>((resolve) => {
    let settled = false;
    const settle = (outcome: QasmThreadOutcome, keepThread: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      if (keepThread) putBack(worker, heapMb);
      else void worker.terminate();
      resolve(outcome);
    };
    const fail = (error: MamlError): void => settle({ ok: false, engine: false, error }, false);
    const timer = setTimeout(
      () =>
        // The same words as the sandboxed languages' timeout (script-runner.ts).
        fail(
          new MamlError(
            'timeout',
            `block ${id} ran longer than its ${task.limits.timeoutMs} ms timeout and was killed with its processes (raise it with timeout=, e.g. timeout=2m)`,
          ),
        ),
      Math.min(task.limits.timeoutMs, MAX_TIMER_MS),
    );
    const onAbort = (): void => fail(new MamlError('cancelled', `block ${id} was cancelled`));
    const onMessage = (message: FromQasmThread): void => {
      if (message.id !== jobId) return;
      switch (message.type) {
        case 'result':
          settle({ ok: true, run: message.run }, true);
          break;
        case 'failed':
          settle({ ok: false, engine: true, error: deserializeError(message.error) }, true);
          break;
        default: {
          const unknown: never = message;
          throw new Error(`unknown message ${JSON.stringify(unknown)}`);
        }
      }
    };
    const onError = (error: Error & { code?: string }): void =>
      fail(
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new MamlError(
              'resource_limit',
              `block ${id} exceeded its memory limit of ${mib(task.limits.memoryLimitBytes)} and was killed`,
              { details: { limit: 'memory' } },
            )
          : new MamlError('block_failed', `block ${id}: the simulation thread failed: ${error.message}`),
      );
    const onExit = (code: number): void =>
      fail(new MamlError('block_failed', `block ${id}: the simulation thread exited (status ${code})`));
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    const message: ToQasmThread = {
      type: 'run',
      id: jobId,
      task,
      options: request.options,
      ...(request.engineModule === undefined ? {} : { engineModule: request.engineModule }),
    };
    try {
      worker.postMessage(message);
    } catch (error) {
      fail(new MamlError('block_failed', `block ${id}: could not start the simulation: ${(error as Error).message}`));
    }
  });
}
