/**
 * The supervised pool of head processes. Each head runs one task attempt at a time; tasks queue per affinity
 * class (or per named head). A head that exits, is killed, or misses heartbeats is replaced under the same name,
 * and its in-flight task is retried on a healthy head after an exponential backoff: only for such
 * infrastructure failures, never for a block's own error. Every attempt has its own id and only the current
 * attempt's answer settles a task, so a task is recorded exactly once even when a lost head's answer arrives late.
 * A task submitted with an AbortSignal is cancelled when it aborts: taken out of the queue if it has not started,
 * else its head is told to stop it (the head kills the block's processes and answers `cancelled`); a head that
 * does not answer within the cancel grace period is replaced. A cancelled task is never retried.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { MamlError, deserializeError } from '../../shared/index.js';
import { sweepCgroupsOf } from '../sandbox/index.js';
import type { TaskResult, TaskSpec } from '../task-spec.js';
import { DEFAULT_HEADS } from './head-config.js';
import type { HeadClassCount } from './head-config.js';
import type { FromHead } from './messages-from-head.js';
import type { ToHead } from './messages-to-head.js';

export interface HeadPoolOptions {
  readonly heads?: readonly HeadClassCount[];
  readonly heartbeatIntervalMs?: number;
  /** A head silent for this long is considered hung and replaced. */
  readonly heartbeatTimeoutMs?: number;
  /** Attempts per task, counting the first. */
  readonly maxAttempts?: number;
  /** First retry delay; doubled on each further retry. */
  readonly retryBaseMs?: number;
  /** Extra environment for head processes (e.g. MAML_QASM_ENGINE). */
  readonly env?: Readonly<Record<string, string>>;
  /** How long a head may take to stop a cancelled task before it is replaced. */
  readonly cancelGraceMs?: number;
}

export interface RegenerateEvent {
  readonly taskId: string;
  readonly blockId: string;
  readonly head: string;
  readonly attempt: number;
  readonly reason: string;
}

/**
 * What the pool reports about itself, to the observers given to `observe` (metrics, tests, benchmarks). A run hears
 * about its own tasks through `SubmitOptions.onStart`/`onRegenerate`, which executePlan turns into its RunEvent
 * stream (`block_started`, `regenerate`).
 */
export type HeadPoolEvent =
  | {
      readonly type: 'task_started';
      readonly taskId: string;
      readonly blockId: string;
      readonly head: string;
      readonly attempt: number;
      readonly pid: number | undefined;
    }
  | ({ readonly type: 'regenerate' } & RegenerateEvent)
  | { readonly type: 'head_replaced'; readonly head: string; readonly reason: string };

export type HeadPoolObserver = (event: HeadPoolEvent) => void;

export interface SubmitResult {
  readonly result: TaskResult;
  readonly head: string;
  readonly attempts: number;
}

export interface SubmitOptions {
  /** Run on this head only (the block's `head=` attribute). */
  readonly headName?: string;
  /** Called when an attempt is sent to a head. */
  readonly onStart?: (head: string, attempt: number) => void;
  /** Called when the task lost its head and will be retried. */
  readonly onRegenerate?: (event: RegenerateEvent) => void;
  /** Cancels the task: it rejects with a `cancelled` MamlError once its processes are gone. */
  readonly signal?: AbortSignal;
}

interface Task {
  readonly taskId: string;
  readonly spec: TaskSpec;
  readonly headName: string | undefined;
  readonly options: SubmitOptions;
  attempt: number;
  attemptId: string;
  settled: boolean;
  /** Set when the task's signal aborted: it is settled `cancelled` whatever happens next, and never retried. */
  cancelled: boolean;
  /** Removes the abort listener and the cancel grace timer. */
  cleanup(): void;
  resolve(value: SubmitResult): void;
  reject(error: unknown): void;
}

interface Head {
  readonly name: string;
  readonly headClass: string;
  child: ChildProcess;
  ready: boolean;
  dead: boolean;
  lastSeen: number;
  task: Task | undefined;
  startFailures: number;
}

export interface HeadInfo {
  readonly name: string;
  readonly headClass: string;
  readonly pid: number | undefined;
  readonly ready: boolean;
  readonly busy: boolean;
  /** When the head last answered (a heartbeat or a message), ms since the epoch. */
  readonly lastSeen: number;
}

const ENTRY = new URL('./head-main.js', import.meta.url);

function cancelledError(blockId: string): MamlError {
  return new MamlError('cancelled', `block ${blockId} was cancelled`);
}
/** How long a head may take to answer `ready`. */
const START_TIMEOUT_MS = 30_000;
/** A head that dies this many times in a row before becoming ready is not restarted again. */
const MAX_START_FAILURES = 3;

export class HeadPool {
  private readonly observers = new Set<HeadPoolObserver>();
  private readonly heads: Head[] = [];
  private readonly queue: Task[] = [];
  private readonly options: Required<Omit<HeadPoolOptions, 'env'>> & { env: Readonly<Record<string, string>> };
  /** Every task not settled yet, wherever it is (queue, head, retry backoff). */
  private readonly pending = new Set<Task>();
  private heartbeat: NodeJS.Timeout | undefined;
  private seq = 0;
  private closed = false;
  private taskCounter = 0;
  /** Counts for the benchmark and tests: attempts sent and results accepted. */
  /** `pongs`: heartbeats answered by a head while it ran a task (the proof that running does not block it). */
  readonly stats = { attempts: 0, accepted: 0, ignored: 0, regenerated: 0, pongs: 0 };
  /** When the heartbeat timer last ran: a late timer means this process stalled, not its heads. */
  private lastBeat = Date.now();

  constructor(options: HeadPoolOptions = {}) {
    this.options = {
      heads: options.heads ?? DEFAULT_HEADS,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 1000,
      heartbeatTimeoutMs: options.heartbeatTimeoutMs ?? 10_000,
      maxAttempts: options.maxAttempts ?? 3,
      retryBaseMs: options.retryBaseMs ?? 200,
      env: options.env ?? {},
      cancelGraceMs: options.cancelGraceMs ?? 5000,
    };
  }

  /** Starts every head and resolves when all answered `ready`. */
  async start(): Promise<void> {
    const ready: Promise<void>[] = [];
    for (const { headClass, count } of this.options.heads)
      for (let i = 1; i <= count; i++) {
        const head = this.spawn(`${headClass}-${i}`, headClass);
        this.heads.push(head);
        ready.push(this.whenReady(head));
      }
    this.lastBeat = Date.now();
    this.heartbeat = setInterval(() => this.beat(), this.options.heartbeatIntervalMs);
    this.heartbeat.unref();
    await Promise.all(ready);
  }

  /** Calls `observer` with every pool event until the returned function is called. */
  observe(observer: HeadPoolObserver): () => void {
    this.observers.add(observer);
    return () => void this.observers.delete(observer);
  }

  /** An observer that throws must not break the pool's bookkeeping. */
  private report(event: HeadPoolEvent): void {
    for (const observer of this.observers) {
      try {
        observer(event);
      } catch {
        // the observer's own problem
      }
    }
  }

  /** Tasks waiting for a free head. */
  get queued(): number {
    return this.queue.length;
  }

  classes(): string[] {
    return [...new Set(this.heads.map((h) => h.headClass))];
  }

  info(): HeadInfo[] {
    return this.heads.map((h) => ({
      name: h.name,
      headClass: h.headClass,
      pid: h.child.pid,
      ready: h.ready,
      busy: h.task !== undefined,
      lastSeen: h.lastSeen,
    }));
  }

  /** Whether a head of this name is configured (for `head=` attributes). */
  hasHead(name: string): boolean {
    return this.heads.some((h) => h.name === name);
  }

  /** Runs a task on a head of `spec.headClass`, or on the head called `options.headName`. */
  submit(spec: TaskSpec, options: SubmitOptions = {}): Promise<SubmitResult> {
    const headName = options.headName;
    if (this.closed) return Promise.reject(new MamlError('cancelled', 'the head pool is closed'));
    if (headName !== undefined && !this.heads.some((h) => h.name === headName))
      return Promise.reject(
        new MamlError('invalid_document', `block ${spec.blockId} asks for head ${headName}, which is not running`),
      );
    if (headName === undefined && !this.heads.some((h) => h.headClass === spec.headClass))
      return Promise.reject(
        new MamlError(
          'invalid_document',
          `block ${spec.blockId} needs a head of class ${spec.headClass}; running classes: ${this.classes().join(', ')}`,
        ),
      );
    const signal = options.signal;
    if (signal?.aborted) return Promise.reject(cancelledError(spec.blockId));
    const taskId = `t${++this.taskCounter}`;
    return new Promise<SubmitResult>((resolve, reject) => {
      let graceTimer: NodeJS.Timeout | undefined;
      const task: Task = {
        taskId,
        spec,
        headName,
        options,
        attempt: 1,
        attemptId: `${taskId}.1`,
        settled: false,
        cancelled: false,
        cleanup: () => {
          signal?.removeEventListener('abort', onAbort);
          clearTimeout(graceTimer);
        },
        resolve,
        reject,
      };
      const onAbort = (): void => {
        graceTimer = this.cancel(task);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.add(task);
      this.queue.push(task);
      this.dispatch();
    });
  }

  /**
   * Cancels a task wherever it is. Queued (or waiting to be retried): settled at once. Running: the head is told
   * to stop it and its answer settles it; returns the timer that replaces the head if no answer comes in time.
   */
  private cancel(task: Task): NodeJS.Timeout | undefined {
    if (task.settled || task.cancelled) return undefined;
    task.cancelled = true;
    const queued = this.queue.indexOf(task);
    if (queued >= 0) this.queue.splice(queued, 1);
    const head = this.heads.find((h) => h.task === task);
    if (!head) {
      this.settle(task, undefined, cancelledError(task.spec.blockId));
      return undefined;
    }
    this.send(head, { type: 'cancel', attemptId: task.attemptId });
    const timer = setTimeout(() => {
      if (head.task === task && !task.settled)
        this.replace(
          head,
          `did not stop block ${task.spec.blockId} within ${this.options.cancelGraceMs} ms of a cancel`,
        );
    }, this.options.cancelGraceMs);
    timer.unref();
    return timer;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.queue.length = 0;
    for (const head of this.heads) head.task = undefined;
    // Queued, running and waiting-to-be-retried tasks alike: the heads are going away (and their blocks with them).
    for (const task of [...this.pending])
      this.settle(
        task,
        undefined,
        new MamlError('cancelled', `block ${task.spec.blockId} was cancelled: the head pool closed`),
      );
    await Promise.all(
      this.heads.map(
        (head) =>
          new Promise<void>((resolve) => {
            if (head.child.exitCode !== null || head.child.signalCode !== null) return resolve();
            const timer = setTimeout(() => head.child.kill('SIGKILL'), 2000);
            head.child.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            this.send(head, { type: 'shutdown' });
            head.dead = true;
          }),
      ),
    );
  }

  private spawn(name: string, headClass: string, startFailures = 0): Head {
    const child = fork(ENTRY, [name], {
      env: { ...process.env, ...this.options.env, MAML_HEAD_NAME: name },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: [],
    });
    const head: Head = {
      name,
      headClass,
      child,
      ready: false,
      dead: false,
      lastSeen: Date.now(),
      task: undefined,
      startFailures,
    };
    child.on('message', (message: FromHead) => this.onMessage(head, message));
    child.on('exit', (code, signal) => this.onExit(head, `exited (${signal ?? `status ${code}`})`));
    child.on('error', () => this.onExit(head, 'could not be started'));
    return head;
  }

  private whenReady(head: Head): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new MamlError('head_lost', `head ${head.name} did not start`)),
        START_TIMEOUT_MS,
      );
      const onMessage = (message: FromHead): void => {
        if (message.type !== 'ready') return;
        clearTimeout(timer);
        head.child.off('message', onMessage);
        resolve();
      };
      head.child.on('message', onMessage);
    });
  }

  private send(head: Head, message: ToHead): void {
    if (!head.dead && head.child.connected) head.child.send(message, () => undefined);
  }

  private beat(): void {
    const now = Date.now();
    // While this process's event loop was blocked (a busy machine, a long synchronous job), the heads' answers
    // waited unread in their channels: that time is not their silence. The timer runs before those answers are
    // read, so without this a stall longer than the timeout would replace every healthy head.
    const stalled = now - this.lastBeat - this.options.heartbeatIntervalMs;
    this.lastBeat = now;
    for (const head of this.heads) {
      if (head.dead) continue;
      if (stalled > 0) head.lastSeen = Math.min(now, head.lastSeen + stalled);
      // A head still starting (loading its modules, slow on a busy machine) has the start timeout instead.
      if (now - head.lastSeen > (head.ready ? this.options.heartbeatTimeoutMs : START_TIMEOUT_MS)) {
        this.replace(
          head,
          head.ready
            ? `stopped answering heartbeats for ${now - head.lastSeen} ms`
            : `did not start within ${START_TIMEOUT_MS} ms`,
        );
        continue;
      }
      this.send(head, { type: 'ping', seq: ++this.seq });
    }
  }

  private onMessage(head: Head, message: FromHead): void {
    if (head.dead) return;
    head.lastSeen = Date.now();
    switch (message.type) {
      case 'ready':
        head.ready = true;
        head.startFailures = 0;
        this.dispatch();
        break;
      case 'pong':
        if (head.task) this.stats.pongs++;
        break;
      case 'result':
      case 'failed': {
        const task = head.task;
        if (!task || task.attemptId !== message.attemptId || task.settled) {
          this.stats.ignored++;
          break;
        }
        head.task = undefined;
        if (message.type === 'result')
          this.settle(task, { result: message.result, head: head.name, attempts: task.attempt });
        else this.settle(task, undefined, deserializeError(message.error));
        this.dispatch();
        break;
      }
      default: {
        const unknown: never = message;
        throw new Error(`unknown head message ${JSON.stringify(unknown)}`);
      }
    }
  }

  private settle(task: Task, value: SubmitResult | undefined, error?: unknown): void {
    if (task.settled) return;
    task.settled = true;
    task.cleanup();
    this.pending.delete(task);
    if (value) {
      this.stats.accepted++;
      task.resolve(value);
    } else task.reject(error);
  }

  private onExit(head: Head, how: string): void {
    if (head.dead || this.closed) return;
    this.replace(head, how);
  }

  /** Kills (if needed) and replaces a head; its in-flight task goes back to the queue after a backoff. */
  private replace(head: Head, reason: string): void {
    head.dead = true;
    const pid = head.child.pid;
    try {
      head.child.kill('SIGKILL');
    } catch {
      // already gone
    }
    // A killed head cannot remove the cgroups its blocks used; bwrap's --die-with-parent already ended them.
    if (pid !== undefined) sweepCgroupsOf(pid);
    const failures = head.ready ? 0 : head.startFailures + 1;
    const task = head.task;
    head.task = undefined;
    const index = this.heads.indexOf(head);
    if (!this.closed && failures < MAX_START_FAILURES) {
      const fresh = this.spawn(head.name, head.headClass, failures);
      if (index >= 0) this.heads[index] = fresh;
      this.report({ type: 'head_replaced', head: head.name, reason });
    } else if (index >= 0) this.heads.splice(index, 1);
    if (task) this.retry(task, head.name, reason);
    if (!this.heads.some((h) => h.headClass === head.headClass)) {
      for (const queued of this.queue.filter((t) => t.spec.headClass === head.headClass && !t.headName)) {
        this.queue.splice(this.queue.indexOf(queued), 1);
        this.settle(queued, undefined, new MamlError('head_lost', `every ${head.headClass} head failed to start`));
      }
    }
  }

  private retry(task: Task, headName: string, reason: string): void {
    if (task.settled) return;
    if (task.cancelled) return this.settle(task, undefined, cancelledError(task.spec.blockId));
    if (task.attempt >= this.options.maxAttempts) {
      this.settle(
        task,
        undefined,
        new MamlError(
          'head_lost',
          `block ${task.spec.blockId} lost its head ${task.attempt} times (last: ${headName} ${reason})`,
          {
            retryable: true,
          },
        ),
      );
      return;
    }
    const event: RegenerateEvent = {
      taskId: task.taskId,
      blockId: task.spec.blockId,
      head: headName,
      attempt: task.attempt + 1,
      reason: `head ${headName} ${reason}`,
    };
    this.stats.regenerated++;
    this.report({ type: 'regenerate', ...event });
    task.options.onRegenerate?.(event);
    const delay = this.options.retryBaseMs * 2 ** (task.attempt - 1);
    task.attempt += 1;
    task.attemptId = `${task.taskId}.${task.attempt}`;
    setTimeout(() => {
      if (this.closed) return this.settle(task, undefined, new MamlError('cancelled', 'pool closed'));
      if (task.settled) return;
      this.queue.unshift(task);
      this.dispatch();
    }, delay).unref();
  }

  private dispatch(): void {
    for (let i = 0; i < this.queue.length;) {
      const task = this.queue[i];
      if (!task) break;
      const head = this.heads.find(
        (h) =>
          h.ready &&
          !h.dead &&
          h.task === undefined &&
          (task.headName !== undefined ? h.name === task.headName : h.headClass === task.spec.headClass),
      );
      if (!head) {
        i++;
        continue;
      }
      this.queue.splice(i, 1);
      head.task = task;
      this.stats.attempts++;
      this.report({
        type: 'task_started',
        taskId: task.taskId,
        blockId: task.spec.blockId,
        head: head.name,
        attempt: task.attempt,
        pid: head.child.pid,
      });
      // The run goes out first: a cancel sent from onStart must reach the head after it.
      this.send(head, { type: 'run', attemptId: task.attemptId, spec: task.spec });
      task.options.onStart?.(head.name, task.attempt);
    }
  }
}
