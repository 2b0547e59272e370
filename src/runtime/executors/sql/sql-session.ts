/**
 * One run's SQL database: a sandboxed runner process (runner-main.ts) holding an in-memory PGlite loaded from the
 * template, started by the run's first SQL block and closed when the run ends, so the run's SQL blocks share tables
 * and no two runs share anything. Requests go one at a time; each block's timeout counts from when its SQL is sent.
 *
 * A block that runs past its timeout, exceeds the memory limit, or is cancelled takes the process down with it:
 * PGlite cannot be interrupted inside a statement, so the process is killed. The session then stays dead, and every
 * later SQL block of the run fails saying why, since the tables it would expect are gone.
 */
import { MamlError } from '../../../shared/index.js';
import type { ProcessEnd, SandboxedProcess } from '../../sandbox/sandboxed-process.js';
import type { TaskLimits } from '../../task-spec.js';
import type { RunResource } from '../run-resources.js';
import type { FromSqlRunner } from './messages-from-runner.js';
import type { ToSqlRunner } from './messages-to-runner.js';
import { startRunner } from './runner-process.js';
import { forgetSqlTemplate, sqlTemplate } from './template.js';

/** Loading the template under a loaded machine; the block's own timeout starts after this. */
const START_TIMEOUT_MS = 120_000;
/** How long a closed session may take to exit on its own before it is killed. */
const CLOSE_GRACE_MS = 2_000;
/** Room for the message around the rows in a `rows` line. */
const ENVELOPE_BYTES = 4096;

export interface SqlSessionOptions {
  /** Memory, process and scratch limits of the process, and the output cap of each block's rows. */
  readonly limits: TaskLimits;
  readonly unsafeNoSandbox: boolean;
  /** Where the database template is cached (template.ts). */
  readonly cacheDir?: string | undefined;
}

export interface SqlRequest {
  readonly blockId: string;
  readonly text: string;
  /** Values for `$1…$n`, or null for several statements without parameters. */
  readonly params: readonly unknown[] | null;
  readonly timeoutMs: number;
  /** Cap on the JSON size of the rows. */
  readonly maxBytes: number;
  readonly signal?: AbortSignal;
}

type Answer = Extract<FromSqlRunner, { id: number }>;

function mib(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MiB`;
}

function tail(text: string, lines = 8): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

export class SqlSession implements RunResource {
  private readonly waiting = new Map<number, (answer: Answer) => void>();
  private nextId = 1;
  /** Requests run one after another: each waits for the one before it. */
  private queue: Promise<unknown> = Promise.resolve();
  /** Why the session can no longer run SQL; set once. */
  private dead: string | undefined;

  private constructor(
    private readonly runner: SandboxedProcess,
    private readonly limits: TaskLimits,
  ) {
    void runner.ended.then((end) => {
      this.dead ??= `its database process ended (${end.signal ?? `status ${end.exitCode}`})`;
    });
  }

  get sandboxed(): boolean {
    return this.runner.sandboxed;
  }

  /** Starts the runner and waits until its database is loaded. */
  static async open(options: SqlSessionOptions): Promise<SqlSession> {
    const template = await sqlTemplate({ unsafeNoSandbox: options.unsafeNoSandbox, cacheDir: options.cacheDir });
    // Answers go to the session once it exists; the runner answers only requests the session sent.
    let deliver: (message: Answer) => void = () => undefined;
    let onReady: (() => void) | undefined;
    let fatal: string | undefined;
    const runner = startRunner({
      config: { mode: 'serve', settings: sessionSettings(options.limits) },
      template,
      limits: options.limits,
      unsafeNoSandbox: options.unsafeNoSandbox,
      maxLineBytes: options.limits.outputLimitBytes + ENVELOPE_BYTES,
      onMessage: (message) => {
        if (message.type === 'ready') onReady?.();
        else if (message.type === 'fatal') fatal = message.message;
        else if (message.type !== 'template') deliver(message);
      },
    });
    const ready = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), START_TIMEOUT_MS);
      onReady = () => {
        clearTimeout(timer);
        resolve(true);
      };
      void runner.ended.then(() => {
        clearTimeout(timer);
        resolve(false);
      });
    });
    if (!ready) {
      runner.kill();
      const end = await runner.ended;
      if (fatal !== undefined) forgetSqlTemplate({ cacheDir: options.cacheDir });
      const why =
        fatal ??
        end.spawnError ??
        (end.oomKilled
          ? `it exceeded the memory limit of ${mib(options.limits.memoryLimitBytes)} while loading`
          : undefined) ??
        (end.killed ? `it did not start within ${START_TIMEOUT_MS / 1000} s` : undefined) ??
        `it exited with ${end.signal ?? `status ${end.exitCode}`}: ${tail(end.stderr)}`;
      throw new MamlError('internal', `the SQL database for this run could not be started: ${why}`);
    }
    const session = new SqlSession(runner, options.limits);
    deliver = (message) => session.answer(message);
    return session;
  }

  /** Runs one block's SQL; resolves with the rows or rejects with a MamlError naming the block. */
  run(request: SqlRequest): Promise<Record<string, unknown>[]> {
    const next = this.queue.then(() => this.runNow(request));
    this.queue = next.catch(() => undefined);
    return next;
  }

  async close(): Promise<void> {
    this.dead ??= 'the run ended';
    this.runner.endInput();
    const timer = setTimeout(() => this.runner.kill(), CLOSE_GRACE_MS);
    await this.runner.ended;
    clearTimeout(timer);
  }

  private answer(message: Answer): void {
    this.waiting.get(message.id)?.(message);
  }

  private async runNow(request: SqlRequest): Promise<Record<string, unknown>[]> {
    const block = request.blockId;
    if (this.dead !== undefined)
      throw new MamlError(
        'block_failed',
        `block ${block}: this run's SQL database is gone (${this.dead}); the tables earlier SQL blocks made went with it`,
      );
    if (request.signal?.aborted) throw new MamlError('cancelled', `block ${block} was cancelled`);
    const id = this.nextId++;
    type Outcome = { answer: Answer } | { timedOut: true } | { cancelled: true } | { ended: ProcessEnd };
    let cleanup: () => void = () => undefined;
    const outcome = await new Promise<Outcome>((resolve) => {
      const timer = setTimeout(() => resolve({ timedOut: true }), request.timeoutMs);
      const onAbort = (): void => resolve({ cancelled: true });
      request.signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.set(id, (answer) => resolve({ answer }));
      void this.runner.ended.then((ended) => resolve({ ended }));
      cleanup = () => {
        clearTimeout(timer);
        request.signal?.removeEventListener('abort', onAbort);
        this.waiting.delete(id);
      };
      const message: ToSqlRunner = {
        type: 'run',
        id,
        text: request.text,
        params: request.params,
        maxBytes: request.maxBytes,
      };
      this.runner.send(JSON.stringify(message));
    });
    cleanup();
    if ('answer' in outcome) return this.result(block, outcome.answer, request.maxBytes);
    if ('timedOut' in outcome) {
      this.dead = `block ${block} ran past its ${request.timeoutMs} ms timeout`;
      this.runner.kill();
      throw new MamlError(
        'timeout',
        `block ${block} ran longer than its ${request.timeoutMs} ms timeout and was killed with this run's SQL database (raise it with timeout=, e.g. timeout=2m)`,
      );
    }
    if ('cancelled' in outcome) {
      this.dead = `block ${block} was cancelled`;
      this.runner.kill();
      throw new MamlError('cancelled', `block ${block} was cancelled`);
    }
    throw this.endedWhileRunning(block, outcome.ended);
  }

  private result(block: string, answer: Answer, maxBytes: number): Record<string, unknown>[] {
    switch (answer.type) {
      case 'rows':
        return answer.rows.map((row) => ({ ...row }));
      case 'sql_error':
        return this.sqlError(block, answer.message, answer.sqlState);
      case 'too_large':
        throw new MamlError(
          'resource_limit',
          `block ${block} returned ${answer.bytes} bytes of rows, more than the ${maxBytes}-byte output limit; select fewer rows or columns`,
          { details: { limit: 'output' } },
        );
      default: {
        const unknown: never = answer;
        throw new Error(`unknown SQL runner answer ${JSON.stringify(unknown)}`);
      }
    }
  }

  private sqlError(block: string, message: string, sqlState: string | undefined): never {
    throw new MamlError('block_failed', `block ${block}: SQL error: ${message}`, {
      details: sqlState === undefined ? {} : { sqlState },
    });
  }

  private endedWhileRunning(block: string, end: ProcessEnd): MamlError {
    if (end.oomKilled) {
      this.dead = `block ${block} exceeded its memory limit`;
      return new MamlError(
        'resource_limit',
        `block ${block} exceeded the SQL memory limit of ${mib(this.limits.memoryLimitBytes)} and was killed with this run's SQL database`,
        { details: { limit: 'memory', stderr: tail(end.stderr) } },
      );
    }
    if (end.lineTooLong) {
      this.dead = `block ${block} returned more than the output limit`;
      return new MamlError(
        'resource_limit',
        `block ${block} returned more than the ${this.limits.outputLimitBytes}-byte output limit and was stopped with this run's SQL database`,
        { details: { limit: 'output' } },
      );
    }
    if (end.pidsLimitHit) {
      this.dead = `block ${block} hit the process limit`;
      return new MamlError(
        'resource_limit',
        `block ${block} tried to run more than ${this.limits.pidsLimit} processes/threads at once and was stopped`,
        { details: { limit: 'pids' } },
      );
    }
    this.dead = `its database process ended while block ${block} ran`;
    const how = end.signal ? `was killed by ${end.signal}` : `exited with status ${end.exitCode}`;
    const err = tail(end.stderr);
    return new MamlError('block_failed', `block ${block}: the SQL database process ${how}${err ? `:\n${err}` : ''}`, {
      details: { stderr: err },
    });
  }
}

/**
 * Server settings of a run's database. Smaller shared buffers leave more of the memory limit to queries; temporary
 * files live in memory, so a sort or hash that spills is capped at the scratch size with PostgreSQL's own error
 * rather than by the memory limit's kill (the block runs as a superuser of its own database and may raise it).
 */
function sessionSettings(limits: TaskLimits): string[] {
  return ['shared_buffers=16MB', `temp_file_limit=${Math.max(1024, Math.floor(limits.scratchBytes / 1024))}kB`];
}
