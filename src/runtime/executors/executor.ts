/**
 * The executor interface: one file per language, all registered in `registry.ts` and all run through the same
 * conformance suite (test/runtime/executor.case.ts).
 */
import type { TaskResult, TaskSpec } from '../task-spec.js';
import type { RunResources } from './run-resources.js';

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

export interface ExecutorContext {
  readonly signal?: AbortSignal;
  /** State shared by the blocks of one run, closed when it ends (executors placed on the scheduler). */
  readonly resources?: RunResources;
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
  /**
   * Where it is started: `head` (on a worker process, one block at a time) or `scheduler` (from the scheduler
   * process, with the run's `resources`, for blocks that share state across the run, such as SQL).
   */
  readonly placement: 'head' | 'scheduler';
  /** Whether it runs untrusted code as a sandboxed process (and so needs bubblewrap). */
  readonly sandboxed: boolean;
  run(task: TaskSpec, context: ExecutorContext): Promise<TaskResult>;
}
