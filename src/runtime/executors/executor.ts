/**
 * The executor interface: one file per language, each declaring everything about it (its names, the head class
 * and placement that run it, the attributes it reads and how they are checked against the operator's caps, the
 * tools and services it needs), all registered in `registry.ts` and all run through the same conformance suite
 * (test/runtime/executor.case.ts). Nothing outside an executor's file branches on its language.
 */
import type { RunLimits } from '../run-limits.js';
import type { TaskResult, TaskSpec } from '../task-spec.js';
import type { RunResources } from './run-resources.js';
import type { ExecutorTools, ToolSpec } from './tools.js';

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

/** An injected OpenQASM engine: the `qasmEngine` export of the module the qasm executor's `qasm-engine` tool names. */
export type QasmEngine = (
  source: string,
  inputs: Readonly<Record<string, unknown>>,
  options: QasmOptions,
) => Promise<QasmRun>;

export interface ExecutorContext {
  readonly signal?: AbortSignal;
  /** State shared by the blocks of one run, closed when it ends (executors that declare `needs.runResources`). */
  readonly resources?: RunResources;
  /**
   * Tool paths compiled once by the process that runs the executor (`compileExecutorTools`, in head-main.ts from
   * the head's environment). A tool missing here is its declaration's `fallback`.
   */
  readonly tools?: ExecutorTools;
  /** Directory for caches that can be rebuilt (the SQL database template), from the runtime options. */
  readonly cacheDir?: string;
}

/** What is wrong with one attribute value, as the planner reports it (a diagnostic at the block's fence). */
export interface AttributeProblem {
  /** `invalid_attribute`: not a value the executor understands; `limit_exceeded`: more than the operator allows. */
  readonly code: 'invalid_attribute' | 'limit_exceeded';
  /** What is wrong and what to write instead, without the block id (the planner adds it). */
  readonly message: string;
}

/** An attribute an executor reads from the block's info string (`shots=1024`), beyond the ones every block has. */
export interface AttributeSpec {
  readonly name: string;
  /** What it does, for documentation. */
  readonly description: string;
  /** A value the check accepts under the default limits (the conformance suite tries it). */
  readonly example: string;
  /** Checks a value before anything runs: undefined when it may run, else what is wrong. Never throws. */
  check(value: string, limits: RunLimits): AttributeProblem | undefined;
}

/** The services an executor needs from the process that runs it. */
export interface ExecutorNeeds {
  /** Interpreters and modules it starts, each read once by the head process (see tools.ts). */
  readonly tools: readonly ToolSpec[];
  /** The run's shared resources (`context.resources`): only the scheduler has them, so placement `scheduler`. */
  readonly runResources: boolean;
}

export interface Executor {
  /** Normalized language name, as the format parser reports it (`EXECUTABLE_LANGS` in src/format/languages.ts). */
  readonly lang: string;
  /** Other spellings of the language in a fence's info string (the format's aliases that normalize to `lang`). */
  readonly aliases: readonly string[];
  /** Part of the cache key: bump when the data-passing contract or the runner changes. */
  readonly version: string;
  /** Head class that runs it by default (a class of `DEFAULT_HEADS`). */
  readonly headClass: string;
  /**
   * Where it is started: `head` (on a worker process, one block at a time) or `scheduler` (from the scheduler
   * process, with the run's `resources`, for blocks that share state across the run, such as SQL).
   */
  readonly placement: 'head' | 'scheduler';
  /** Whether it runs untrusted code as a sandboxed process (and so needs bubblewrap). */
  readonly sandboxed: boolean;
  /** Attributes it reads, each checked against the operator's caps at plan time (scheduler/block-limits.ts). */
  readonly attributes: readonly AttributeSpec[];
  readonly needs: ExecutorNeeds;
  run(task: TaskSpec, context: ExecutorContext): Promise<TaskResult>;
}
