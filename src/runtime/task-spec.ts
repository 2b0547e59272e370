/**
 * What one block execution needs, independent of the MAML format: the scheduler compiles a code block into a
 * `TaskSpec`, a head runs it with the executor for `lang`, and the answer is a `TaskResult` or a serialized error.
 * Everything here crosses the scheduler↔head process boundary, so it is plain JSON data.
 */

export interface TaskPermissions {
  /** `false`: no network. `true` or a host list: outbound network from the block's own namespace, without the
   *  host's loopback (hosts not enforced). */
  readonly network: boolean | readonly string[];
  /**
   * `permissions.quantum`: whether the block may call the quantum engine (`maml.quantum`) and within what bounds.
   * Absent: allowed with the defaults (src/runtime/quantum-calls/call-limits.ts).
   */
  readonly quantum?: QuantumPermission;
}

/** `false`: no quantum calls; otherwise the most evaluations, qubits and total simulator time (each optional). */
export type QuantumPermission = false | { readonly calls?: number; readonly qubits?: number; readonly timeMs?: number };

/** What a block's quantum calls cost, as its ticket records it. */
export interface QuantumUsage {
  /** Circuit evaluations (a batch of n binding sets counts n). */
  readonly calls: number;
  /** Time spent simulating, in whole milliseconds. */
  readonly simulatorMs: number;
}

export interface TaskLimits {
  readonly timeoutMs: number;
  /** Cap on each of stdout and stderr; more is dropped and a truncation marker appended. */
  readonly outputLimitBytes: number;
  readonly memoryLimitBytes: number;
  /** Maximum number of processes and threads in the block's cgroup. */
  readonly pidsLimit: number;
  /** Size of the private tmpfs scratch directory. */
  readonly scratchBytes: number;
  /** OpenQASM: most shots a block may take. */
  readonly maxShots: number;
  /** OpenQASM: most qubits a program may declare. */
  readonly maxQubits: number;
}

export interface TaskSpec {
  readonly blockId: string;
  readonly lang: string;
  readonly source: string;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly limits: TaskLimits;
  readonly permissions: TaskPermissions;
  /** Affinity class of the head that should run it (`quantum`, `ai`, …). */
  readonly headClass: string;
  /** Run without bubblewrap when it is missing (never the default). */
  readonly unsafeNoSandbox: boolean;
  /** Executor-specific options from the block's attributes (`shots`, `seed`, …). */
  readonly attributes: Readonly<Record<string, string>>;
  /** Document line (1-based) of the block's first code line, to place errors found in the source. */
  readonly codeLine?: number;
}

export interface TaskResult {
  readonly outputs: Readonly<Record<string, unknown>>;
  readonly stdout: string;
  readonly stderr: string;
  readonly truncated: boolean;
  readonly durationMs: number;
  /** Whether the block ran inside bubblewrap (false for built-in engines and --unsafe-no-sandbox). */
  readonly sandboxed: boolean;
  /** The block's `maml.quantum` calls, when it made any. */
  readonly quantum?: QuantumUsage;
}

export const DEFAULT_LIMITS: TaskLimits = {
  timeoutMs: 30_000,
  outputLimitBytes: 1024 * 1024,
  memoryLimitBytes: 512 * 1024 * 1024,
  pidsLimit: 64,
  scratchBytes: 128 * 1024 * 1024,
  maxShots: 1_000_000,
  // The OpenQASM front end's own limit: by default only memory (the state-vector guard) and time bound a circuit.
  maxQubits: 1000,
};

export function taskSpec(
  init: Pick<TaskSpec, 'blockId' | 'lang' | 'source'> &
    Partial<Omit<TaskSpec, 'limits'>> & { limits?: Partial<TaskLimits> },
): TaskSpec {
  return {
    blockId: init.blockId,
    lang: init.lang,
    source: init.source,
    inputs: init.inputs ?? {},
    limits: { ...DEFAULT_LIMITS, ...init.limits },
    permissions: init.permissions ?? { network: false },
    headClass: init.headClass ?? 'ai',
    unsafeNoSandbox: init.unsafeNoSandbox ?? false,
    attributes: init.attributes ?? {},
    ...(init.codeLine === undefined ? {} : { codeLine: init.codeLine }),
  };
}
