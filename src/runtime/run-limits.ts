/**
 * Operator caps on what a document may ask for: the longest `timeout=`, the memory and output of a block, the
 * shots and qubits of an OpenQASM block, the number of blocks in a document. Compiled once at the boundary
 * (`maml run`/`serve`/`mcp` flags over `limits:` in `.maml.yaml` over the defaults), then checked against every
 * block before anything runs (scheduler/block-limits.ts) and carried to the heads in each task's limits.
 */
import { MamlError } from '../shared/index.js';
import { MAX_TIMER_MS, formatDuration, parseDuration } from './duration.js';
import type { TaskLimits } from './task-spec.js';
import { DEFAULT_LIMITS } from './task-spec.js';

export interface RunLimits {
  /** Timeout of a block without `timeout=`. */
  readonly defaultTimeoutMs: number;
  /** The longest `timeout=` a block may ask for. */
  readonly maxTimeoutMs: number;
  /** Memory of one block: the cgroup of a sandboxed block; the state vector and heap of an OpenQASM simulation. */
  readonly memoryBytes: number;
  /** Output of one block: each of stdout and stderr, and its outputs as JSON. */
  readonly outputBytes: number;
  /** Most shots an OpenQASM block may take (`shots=` or a `shots` input). */
  readonly maxShots: number;
  /** Most qubits an OpenQASM program may declare. */
  readonly maxQubits: number;
  /** Most executable blocks in one document. */
  readonly maxBlocks: number;
}

const MIB = 2 ** 20;

export const DEFAULT_RUN_LIMITS: RunLimits = {
  defaultTimeoutMs: DEFAULT_LIMITS.timeoutMs,
  maxTimeoutMs: 3_600_000,
  memoryBytes: DEFAULT_LIMITS.memoryLimitBytes,
  outputBytes: DEFAULT_LIMITS.outputLimitBytes,
  maxShots: DEFAULT_LIMITS.maxShots,
  maxQubits: DEFAULT_LIMITS.maxQubits,
  maxBlocks: 1000,
};

/** Blocks running at once in one run: more only adds scheduler work (heads bound real parallelism). */
export const MAX_CONCURRENCY = 256;

/** The settings an operator can give, by their `.maml.yaml` name (the flag is `--` + the name with `-`). */
export const RUN_LIMIT_KEYS = [
  'default_timeout',
  'max_timeout',
  'max_memory',
  'max_output',
  'max_shots',
  'max_qubits',
  'max_blocks',
] as const;
export type RunLimitKey = (typeof RUN_LIMIT_KEYS)[number];
export type RunLimitSettings = Partial<Record<RunLimitKey, string | number>>;

type Kind = 'duration' | 'size' | 'count';

interface Setting {
  readonly field: keyof RunLimits;
  readonly kind: Kind;
  readonly min: number;
  readonly max: number;
  readonly example: string;
}

/** Hard bounds: what the machinery can honour (timers, buffers held in memory, the OpenQASM front end). */
const SETTINGS: Readonly<Record<RunLimitKey, Setting>> = {
  default_timeout: { field: 'defaultTimeoutMs', kind: 'duration', min: 1, max: MAX_TIMER_MS, example: '30s' },
  max_timeout: { field: 'maxTimeoutMs', kind: 'duration', min: 1, max: MAX_TIMER_MS, example: '10m' },
  max_memory: { field: 'memoryBytes', kind: 'size', min: 16 * MIB, max: 2 ** 40, example: '1GiB' },
  max_output: { field: 'outputBytes', kind: 'size', min: 1024, max: 256 * MIB, example: '4MiB' },
  max_shots: { field: 'maxShots', kind: 'count', min: 1, max: 1e9, example: '100000' },
  // 1000: the OpenQASM front end's own limit (quantum/qasm/limits.ts MAX_QUBITS).
  max_qubits: { field: 'maxQubits', kind: 'count', min: 1, max: 1000, example: '28' },
  max_blocks: { field: 'maxBlocks', kind: 'count', min: 1, max: 100_000, example: '500' },
};

const SIZE_UNITS: Readonly<Record<string, number>> = {
  '': 1,
  b: 1,
  k: 1024,
  kib: 1024,
  m: MIB,
  mib: MIB,
  g: 2 ** 30,
  gib: 2 ** 30,
  t: 2 ** 40,
  tib: 2 ** 40,
  // Binary too, as `resources.memory_limit` in .maml.yaml reads them (and Docker): `1024MB` is 1 GiB.
  kb: 1024,
  mb: MIB,
  gb: 2 ** 30,
  tb: 2 ** 40,
};

/** `512MiB`, `1GiB`, `4M`, `512MB`, `1000000` (bytes); undefined for anything else. */
export function parseSize(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = SIZE_UNITS[(match?.[2] ?? '').toLowerCase()];
  if (!match || unit === undefined) return undefined;
  const value = Math.round(Number(match[1]) * unit);
  return Number.isSafeInteger(value) ? value : undefined;
}

export function formatSize(bytes: number): string {
  for (const [unit, size] of [
    ['GiB', 2 ** 30],
    ['MiB', MIB],
    ['KiB', 1024],
  ] as const)
    if (bytes >= size && bytes % (size / 16) === 0) return `${bytes / size} ${unit}`;
  return `${bytes} bytes`;
}

function format(kind: Kind, value: number): string {
  return kind === 'duration' ? formatDuration(value) : kind === 'size' ? formatSize(value) : String(value);
}

function parseSetting(kind: Kind, value: string | number): number | undefined {
  if (typeof value === 'number') return kind === 'duration' ? parseDuration(String(value)) : value;
  if (kind === 'duration') return parseDuration(value);
  if (kind === 'size') return parseSize(value);
  return /^\s*\d+\s*$/.test(value) ? Number(value) : undefined;
}

/**
 * Validates operator settings and fills in the defaults. `describe` names where a key came from (`--max-timeout`,
 * `limits.max_timeout in ./.maml.yaml`) for the error message. Unknown keys are the caller's to reject.
 */
export function compileRunLimits(
  settings: RunLimitSettings,
  describe: (key: RunLimitKey) => string = (key) => `--${key.replace(/_/g, '-')}`,
): RunLimits {
  const out: Record<keyof RunLimits, number> = { ...DEFAULT_RUN_LIMITS };
  for (const key of RUN_LIMIT_KEYS) {
    const raw = settings[key];
    if (raw === undefined) continue;
    const setting = SETTINGS[key];
    const value = parseSetting(setting.kind, raw);
    const what = setting.kind === 'duration' ? 'a duration' : setting.kind === 'size' ? 'a size' : 'a whole number';
    if (value === undefined || !Number.isSafeInteger(value))
      throw new MamlError('usage', `${describe(key)}: \`${raw}\` is not ${what} (e.g. ${setting.example})`);
    if (value < setting.min || value > setting.max)
      throw new MamlError(
        'usage',
        `${describe(key)}: ${format(setting.kind, value)} is outside ${format(setting.kind, setting.min)} to ${format(setting.kind, setting.max)}`,
      );
    out[setting.field] = value;
  }
  if (settings.default_timeout === undefined) out.defaultTimeoutMs = Math.min(out.defaultTimeoutMs, out.maxTimeoutMs);
  else if (out.defaultTimeoutMs > out.maxTimeoutMs)
    throw new MamlError(
      'usage',
      `${describe('default_timeout')} (${formatDuration(out.defaultTimeoutMs)}) is longer than ${describe('max_timeout')} (${formatDuration(out.maxTimeoutMs)})`,
    );
  return out;
}

/** The limits one task runs under: the operator's caps, and the block's timeout. */
export function taskLimits(limits: RunLimits, timeoutMs: number): TaskLimits {
  return {
    ...DEFAULT_LIMITS,
    timeoutMs,
    memoryLimitBytes: limits.memoryBytes,
    outputLimitBytes: limits.outputBytes,
    maxShots: limits.maxShots,
    maxQubits: limits.maxQubits,
  };
}
