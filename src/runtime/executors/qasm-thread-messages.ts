// Messages between a head (or any process running OpenQASM blocks) and its simulation thread, one union per direction.
import type { SerializedError } from '../../shared/index.js';
import type { TaskSpec } from '../task-spec.js';
import type { QasmOptions, QasmRun } from './executor.js';

export type ToQasmThread =
  /** Simulate one block; answered with `result` or `failed` carrying the same id. */
  {
    readonly type: 'run';
    readonly id: number;
    readonly task: TaskSpec;
    readonly options: QasmOptions;
    /** Module exporting `qasmEngine` to use instead of the project's engine (MAML_QASM_ENGINE). */
    readonly engineModule?: string;
  };

export type FromQasmThread =
  | { readonly type: 'result'; readonly id: number; readonly run: QasmRun }
  | { readonly type: 'failed'; readonly id: number; readonly error: SerializedError };
