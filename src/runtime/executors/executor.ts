/**
 * The executor interface: one file per language, all registered in `registry.ts` and all run through the same
 * conformance suite (test/runtime/executor.case.ts).
 */
import type { TaskResult, TaskSpec } from '../task-spec.js';

/** Result of a quantum engine run, as the `qasm` executor expects it. */
export interface QasmRun {
  readonly counts: Readonly<Record<string, number>>;
  readonly probabilities?: Readonly<Record<string, number>>;
}

export interface QasmOptions {
  readonly shots: number;
  readonly seed?: number;
  readonly probabilities: boolean;
}

/** An injected OpenQASM engine (the `qasmEngine` export of MAML_QASM_ENGINE's module): source, bound input parameters and options to counts. */
export type QasmEngine = (
  source: string,
  inputs: Readonly<Record<string, unknown>>,
  options: QasmOptions,
) => Promise<QasmRun>;

/** What SQL blocks run against: the run database (PGlite or PostgreSQL). */
export interface SqlClient {
  /** One statement with `$n` parameters. */
  query(sql: string, params: readonly unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  /** Several statements, no parameters; one result per statement. */
  exec(sql: string): Promise<{ rows: Record<string, unknown>[] }[]>;
}

export interface ExecutorContext {
  readonly signal?: AbortSignal;
  readonly sql?: SqlClient;
  /** Module (a specifier for `import()`) whose `qasmEngine` export replaces the project's OpenQASM engine. */
  readonly qasmEngineModule?: string;
}

export interface Executor {
  /** Normalized language name, as the format parser reports it. */
  readonly lang: string;
  /** Part of the cache key: bump when the data-passing contract or the runner changes. */
  readonly version: string;
  /** Head class that runs it by default. */
  readonly headClass: string;
  /** Where it must run: `head` (a worker process, usually sandboxed) or `scheduler` (needs the run database). */
  readonly placement: 'head' | 'scheduler';
  /** Whether it runs untrusted code as a sandboxed process (and so needs bubblewrap). */
  readonly sandboxed: boolean;
  run(task: TaskSpec, context: ExecutorContext): Promise<TaskResult>;
}
