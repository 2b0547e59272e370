/**
 * Parses and validates documents in a pool of worker processes (../validate-worker.ts), so the gateway's event loop
 * only does HTTP. One document per worker at a time; others wait in a bounded FIFO queue, and a full queue is
 * refused at once (`unavailable`, retryable) rather than letting latency grow without bound. A worker that
 * crashes, runs out of memory or takes longer than the time limit is killed and replaced; only the request it was
 * working on fails, with a `MamlError`, never a stack trace.
 *
 * Workers are processes, not threads: V8 ends the whole process when one isolate runs out of memory in some
 * allocations (a large string or array that cannot grow after a last-resort collection: "CALL_AND_RETRY_LAST
 * Allocation failed"), and a worker thread's `resourceLimits` do not prevent that (Node documents them as best
 * effort). A worker process with its own `--max-old-space-size` takes only itself down.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Profile } from '../../format/index.js';
import { MamlError, deserializeError } from '../../shared/index.js';
import type { FromWorker, ToWorker } from './messages.js';

export interface ValidationPoolOptions {
  /** Worker processes (at least 1). */
  readonly threads: number;
  /** Documents that may wait for a free worker; more are refused with `unavailable` (default 1024). */
  readonly maxQueue?: number;
  /** A worker busy with one document for longer than this is terminated and replaced (default 10 s). */
  readonly timeoutMs?: number;
  /** Worker entry module (tests substitute one that misbehaves on purpose). */
  readonly workerUrl?: URL;
  /** Heap limit of each worker in MiB (default 512): a document that needs more ends that worker only. */
  readonly maxHeapMb?: number;
}

export type ReplaceReason = 'crash' | 'timeout' | 'memory';

interface Job {
  readonly text: string;
  readonly profile: Profile;
  resolve(json: string): void;
  reject(error: MamlError): void;
}

interface Slot {
  worker: ChildProcess;
  job: Job | undefined;
  id: number;
  timer: NodeJS.Timeout | undefined;
  /** Why the worker is being ended, when this pool ends it. */
  ending: ReplaceReason | 'close' | undefined;
  /** The uncaught error that ended it, if any. */
  failure: string | undefined;
  /** The end of what it wrote to stderr, where V8 says it ran out of memory. */
  stderr: string;
  /** The worker has loaded its modules; until then a document waits in its message queue without a clock. */
  ready: boolean;
}

export const DEFAULT_VALIDATE_QUEUE = 1024;
export const DEFAULT_VALIDATE_TIMEOUT_MS = 10_000;
/** What V8 prints when an isolate runs out of heap (a fatal error, so the process ends on SIGABRT). */
const OUT_OF_MEMORY = /out of memory|Allocation failed/i;
/** Characters of a worker's stderr kept to tell an out-of-memory end from another crash. */
const STDERR_KEPT = 4096;

/**
 * Whether a worker keeps the gateway's event loop alive: while it holds a document, so that its answer (or its
 * exit) is heard even if nothing else is running; an idle one does not.
 */
function hold(worker: ChildProcess, busy: boolean): void {
  if (busy) {
    worker.ref();
    worker.channel?.ref();
  } else {
    worker.unref();
    worker.channel?.unref();
  }
}

/** Kills a worker and resolves once it has exited. */
function stop(worker: ChildProcess): Promise<void> {
  if (worker.exitCode !== null || worker.signalCode !== null) return Promise.resolve();
  worker.ref();
  return new Promise((resolve) => {
    worker.once('exit', () => resolve());
    worker.kill('SIGKILL');
  });
}

/** Lets the process exit while a worker's stderr pipe is open (the pipe is a socket under the hood). */
function unrefStream(stream: unknown): void {
  const s = stream as { unref?: () => void } | null;
  s?.unref?.();
}

export class ValidationPool {
  readonly threads: number;
  private readonly maxQueue: number;
  private readonly timeoutMs: number;
  private readonly workerUrl: URL;
  private readonly maxHeapMb: number;
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private readonly replaced: Record<ReplaceReason, number> = { crash: 0, timeout: 0, memory: 0 };
  private seq = 0;
  private answers = 0;
  private closed = false;

  constructor(options: ValidationPoolOptions) {
    if (!Number.isInteger(options.threads) || options.threads < 1)
      throw new MamlError('usage', `a validation pool needs at least one worker (got ${options.threads})`);
    this.threads = options.threads;
    this.maxQueue = options.maxQueue ?? DEFAULT_VALIDATE_QUEUE;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_VALIDATE_TIMEOUT_MS;
    this.workerUrl = options.workerUrl ?? new URL('../validate-worker.js', import.meta.url);
    this.maxHeapMb = options.maxHeapMb ?? 512;
    for (let i = 0; i < this.threads; i++) this.slots.push(this.spawn());
  }

  /** Documents waiting for a free worker. */
  get queued(): number {
    return this.queue.length;
  }

  /** Workers validating a document right now. */
  get busy(): number {
    return this.slots.reduce((n, s) => n + (s.job ? 1 : 0), 0);
  }

  /** Documents the workers have answered (including with an error) so far. */
  get answered(): number {
    return this.answers;
  }

  /** Workers replaced so far, by reason. */
  replacements(): Readonly<Record<ReplaceReason, number>> {
    return { ...this.replaced };
  }

  /** The response body (`{ok, profile, diagnostics}` as JSON text) for one document. */
  validate(text: string, profile: Profile): Promise<string> {
    if (this.closed) return Promise.reject(new MamlError('unavailable', 'the gateway is shutting down'));
    return new Promise<string>((resolve, reject) => {
      const job: Job = { text, profile, resolve, reject };
      const idle = this.slots.find((s) => s.job === undefined && s.ending === undefined);
      if (idle) this.start(idle, job);
      else if (this.queue.length >= this.maxQueue)
        reject(
          new MamlError(
            'unavailable',
            `the gateway is busy: ${this.queue.length} documents are waiting for validation; retry shortly`,
            { retryable: true },
          ),
        );
      else this.queue.push(job);
    });
  }

  /** Terminates every worker; queued and running documents fail with `unavailable`. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const gone = new MamlError('unavailable', 'the gateway is shutting down');
    for (const job of this.queue.splice(0)) job.reject(gone);
    await Promise.all(
      this.slots.map((slot) => {
        slot.ending = 'close';
        return stop(slot.worker);
      }),
    );
  }

  private spawn(): Slot {
    const worker = fork(fileURLToPath(this.workerUrl), [], {
      // Not the gateway's own flags (a test runner's, an inspector port): only the heap limit.
      execArgv: [`--max-old-space-size=${this.maxHeapMb}`],
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    const slot: Slot = {
      worker,
      job: undefined,
      id: 0,
      timer: undefined,
      ending: undefined,
      failure: undefined,
      stderr: '',
      ready: false,
    };
    // The HTTP server keeps the process alive; an idle pool alone should not (a busy worker is held, see `hold`).
    hold(worker, false);
    unrefStream(worker.stderr);
    worker.stderr?.setEncoding('utf8');
    worker.stderr?.on('data', (chunk: string) => (slot.stderr = (slot.stderr + chunk).slice(-STDERR_KEPT)));
    worker.on('message', (message: FromWorker) => this.finished(slot, message));
    worker.on('error', (error) => (slot.failure ??= error.message));
    // `close` comes after `exit` once stderr is read to its end, so an out-of-memory message is not missed.
    worker.on('close', (code: number | null, signal: NodeJS.Signals | null) => this.exited(slot, code, signal));
    return slot;
  }

  private start(slot: Slot, job: Job): void {
    slot.job = job;
    slot.id = ++this.seq;
    if (slot.ready) this.startClock(slot);
    const message: ToWorker = { type: 'validate', id: slot.id, text: job.text, profile: job.profile };
    hold(slot.worker, true);
    // A send that fails means the worker is gone; its exit fails the job.
    slot.worker.send(message, (error) => {
      if (error) slot.failure ??= error.message;
    });
  }

  /** The time limit counts from when the worker can work, so a slow start-up is never taken for a hang. */
  private startClock(slot: Slot): void {
    slot.timer = setTimeout(() => {
      slot.ending = 'timeout';
      slot.worker.kill('SIGKILL');
    }, this.timeoutMs);
  }

  private finished(slot: Slot, message: FromWorker): void {
    switch (message.type) {
      case 'ready':
        slot.ready = true;
        if (slot.job !== undefined && slot.ending === undefined) this.startClock(slot);
        return;
      case 'failure':
        slot.failure = message.message;
        return;
      case 'answer':
      case 'error': {
        const job = slot.job;
        if (job === undefined || message.id !== slot.id || slot.ending !== undefined) return;
        clearTimeout(slot.timer);
        slot.job = undefined;
        hold(slot.worker, false);
        this.answers++;
        if (message.type === 'answer') job.resolve(message.json);
        else job.reject(deserializeError(message.error));
        const next = this.queue.shift();
        if (next) this.start(slot, next);
        return;
      }
      default: {
        const never: never = message;
        throw new RangeError(`unknown message ${JSON.stringify(never)}`);
      }
    }
  }

  private exited(slot: Slot, code: number | null, signal: NodeJS.Signals | null): void {
    clearTimeout(slot.timer);
    const job = slot.job;
    slot.job = undefined;
    if (slot.ending === 'close') {
      job?.reject(new MamlError('unavailable', 'the gateway is shutting down'));
      return;
    }
    const reason: ReplaceReason =
      slot.ending === 'timeout' ? 'timeout' : OUT_OF_MEMORY.test(slot.stderr) ? 'memory' : 'crash';
    // Never handed another document, even while its replacement is pending.
    slot.ending = reason;
    const how = slot.failure ?? (signal ? `signal ${signal}` : `exit code ${code ?? '?'}`);
    job?.reject(
      reason === 'timeout'
        ? new MamlError('timeout', `validation took longer than ${this.timeoutMs} ms and was stopped`)
        : reason === 'memory'
          ? new MamlError(
              'resource_limit',
              `validating this document needed more than the ${this.maxHeapMb} MiB of memory a validation worker has, so it was stopped; make the document smaller or simpler`,
            )
          : new MamlError(
              'unavailable',
              `the validation worker stopped before answering (${how}); it has been replaced, retry shortly`,
              { retryable: true },
            ),
    );
    if (this.closed) return;
    this.replaced[reason]++;
    const index = this.slots.indexOf(slot);
    // A worker that never came up (a broken entry file) is retried after a pause, not in a tight loop.
    const replace = (): void => {
      if (this.closed) return;
      const fresh = this.spawn();
      this.slots[index] = fresh;
      const next = this.queue.shift();
      if (next) this.start(fresh, next);
    };
    if (slot.ready) replace();
    else setTimeout(replace, 1000).unref();
  }
}
