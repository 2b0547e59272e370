/**
 * The one stream of events a run emits (scheduler/execute-plan.ts) and every consumer reads: the run database
 * records each one (RunStore.recordEvent), the gateway fans them out over SSE, WebSocket and MCP progress, the
 * metrics count them, and `maml run` draws its live view from them. Plain data only, so an event crosses a process
 * or machine boundary as JSON unchanged.
 *
 * Shape: `{ v, runId, seq, at, type, blockId, data }`, discriminated on `type`; `data` is what the run database's
 * `maml.events.data` column holds for that type (the stored row and the wire record are the same object less `v`).
 * `seq` counts from 1 per run with no gaps, in the order the events were emitted; `run_finished` is always last.
 * A change to a `data` shape that a consumer could notice bumps RUN_EVENT_VERSION.
 */
import type { SerializedError, Diagnostic } from '../shared/index.js';

export const RUN_EVENT_VERSION = 1;

/** `cancelled`: stopped by a cancel while it ran; `skipped`: never started (see `reason`). */
export type BlockStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped' | 'cancelled';
/** The states a block ends in. */
export type FinalBlockStatus = Exclude<BlockStatus, 'pending' | 'running'>;

export interface BlockReport {
  readonly id: string;
  readonly lang: string;
  readonly head: string | null;
  readonly status: BlockStatus;
  readonly durationMs: number | null;
  readonly outputs: Readonly<Record<string, unknown>>;
  readonly error: SerializedError | null;
  readonly attempts: number;
  readonly cached: boolean;
  /** Why a block was skipped. */
  readonly reason?: string;
}

/** A finished block as its event states it: the report without its outputs (those are in the block's row). */
export interface BlockFinishedData {
  readonly head: string | null;
  readonly durationMs: number | null;
  readonly error: SerializedError | null;
  readonly reason?: string;
  readonly lang: string;
  readonly attempts: number;
  readonly cached: boolean;
}

/** One federated round as the run records it (per-round metrics; `status` says whether it was aggregated). */
export interface FederatedRoundData {
  readonly round: number;
  readonly status: 'aggregated' | 'aborted' | 'skipped';
  readonly sampled: number;
  readonly included: readonly string[];
  readonly dropped: readonly { readonly client: string; readonly reason: string }[];
  readonly excluded: readonly { readonly client: string; readonly code: string; readonly message: string }[];
  readonly threshold: number | null;
  readonly clipped: number;
  readonly loss: number | null;
  readonly accuracy: number | null;
  readonly epsilon: number | null;
  readonly epsilonTight: number | null;
  /** SHA-256 (hex) of the aggregated update as little-endian float64s; null when the round was not aggregated. */
  readonly aggregateHash: string | null;
  /** SHA-256 (hex) of the global weights after the round. */
  readonly modelHash: string;
  readonly durationMs: number;
  readonly error: string | null;
}

/** `data` of each event type. */
export interface RunEventData {
  /** `blocks` and `langs`: the run's blocks in plan order, by id and language. */
  readonly run_started: {
    readonly identity: string;
    readonly blocks: readonly string[];
    readonly langs: readonly string[];
  };
  /**
   * A recorded run goes on: `maml run --resume` (reason `resume`), or a gateway taking over a durable run whose
   * gateway stopped (reason `takeover`). `done`: the blocks already committed, which do not run again; the other
   * fields as in run_started. Events go on numbering after the last one recorded.
   */
  readonly run_resumed: {
    readonly identity: string;
    readonly blocks: readonly string[];
    readonly langs: readonly string[];
    readonly done: readonly string[];
    readonly reason: 'resume' | 'takeover';
  };
  /** The threat scan flagged the document and the caller ran it anyway (its allow-risk choice). */
  readonly risk_accepted: {
    readonly score: number;
    readonly threshold: number;
    readonly diagnostics: readonly Diagnostic[];
  };
  readonly block_started: { readonly head: string; readonly attempt: number };
  readonly block_succeeded: BlockFinishedData;
  readonly block_failed: BlockFinishedData;
  readonly block_skipped: BlockFinishedData;
  readonly block_cancelled: BlockFinishedData;
  /** The block lost its head (it died, hung or was killed) and is retried as `attempt`. */
  readonly regenerate: {
    readonly taskId: string;
    readonly blockId: string;
    readonly head: string;
    readonly attempt: number;
    readonly reason: string;
  };
  readonly ticket_issued: {
    readonly logIndex: number;
    readonly keyId: string;
    readonly compact: string;
    readonly leafHash: string;
  };
  /**
   * A block marked fairness=… was checked against the `fairness:` policy (src/runtime/fairness-check.ts); `message`
   * (outside the threshold) has the table, `defaults` the warning of a bare `fairness: true`.
   */
  readonly fairness_checked: {
    readonly role: string;
    readonly metric: string;
    readonly value: number | null;
    readonly threshold: number;
    readonly level: 'strict' | 'warn';
    readonly passed: boolean;
    readonly message?: string;
    readonly defaults?: string;
  };
  readonly record_issued: {
    readonly logIndex: number;
    readonly keyId: string;
    readonly compact: string;
    readonly leafHash: string;
  };
  /** A federated round finished (docs/federated.md): its clients, metrics and aggregate hash. */
  readonly federated_round: FederatedRoundData;
  /** The run's record could not be signed or logged: its `[EXECUTE]` line goes unsigned. */
  readonly record_failed: { readonly error: SerializedError };
  readonly run_finished: {
    readonly status: 'succeeded' | 'failed' | 'cancelled';
    readonly error: SerializedError | null;
  };
}

export type RunEventType = keyof RunEventData;

export const RUN_EVENT_TYPES = [
  'run_started',
  'run_resumed',
  'risk_accepted',
  'block_started',
  'block_succeeded',
  'block_failed',
  'block_skipped',
  'block_cancelled',
  'regenerate',
  'ticket_issued',
  'fairness_checked',
  'record_issued',
  'record_failed',
  'federated_round',
  'run_finished',
] as const satisfies readonly RunEventType[];

/** The fields every event carries. */
export interface RunEventHeader {
  readonly v: typeof RUN_EVENT_VERSION;
  readonly runId: string;
  /** 1, 2, 3, … per run, in emission order. */
  readonly seq: number;
  /** ISO 8601 time the event was emitted. */
  readonly at: string;
  /** The block the event is about; null for run-level events. */
  readonly blockId: string | null;
}

export type RunEvent = {
  readonly [T in RunEventType]: RunEventHeader & { readonly type: T; readonly data: RunEventData[T] };
}[RunEventType];

export type RunEventOf<T extends RunEventType> = Extract<RunEvent, { readonly type: T }>;

/** A block-finished event's type from the block's final status. */
export function blockFinishedType(status: FinalBlockStatus): `block_${FinalBlockStatus}` {
  return `block_${status}`;
}

export function isRunEventType(type: string): type is RunEventType {
  return (RUN_EVENT_TYPES as readonly string[]).includes(type);
}

/** The final status a `block_*` finished event reports, or undefined for every other type. */
export function finishedStatus(event: RunEvent): FinalBlockStatus | undefined {
  switch (event.type) {
    case 'block_succeeded':
      return 'succeeded';
    case 'block_failed':
      return 'failed';
    case 'block_skipped':
      return 'skipped';
    case 'block_cancelled':
      return 'cancelled';
    case 'run_started':
    case 'run_resumed':
    case 'risk_accepted':
    case 'block_started':
    case 'regenerate':
    case 'ticket_issued':
    case 'fairness_checked':
    case 'record_issued':
    case 'record_failed':
    case 'federated_round':
    case 'run_finished':
      return undefined;
    default:
      return unreachable(event);
  }
}

/** A `block_*` finished event's status and data; undefined for every other type. */
export function blockFinished(event: RunEvent): { status: FinalBlockStatus; data: BlockFinishedData } | undefined {
  const status = finishedStatus(event);
  return status === undefined ? undefined : { status, data: event.data as BlockFinishedData };
}

/**
 * A stored or received event row back as a RunEvent; undefined for a type this version does not know (rows
 * written by a newer gateway), which a consumer skips. Rows carry no `v`: the events table holds version 1.
 */
export function runEventFromRow(
  runId: string,
  row: {
    readonly seq: number;
    readonly at: string;
    readonly type: string;
    readonly blockId: string | null;
    readonly data: unknown;
  },
): RunEvent | undefined {
  if (!isRunEventType(row.type)) return undefined;
  return {
    v: RUN_EVENT_VERSION,
    runId,
    seq: row.seq,
    at: row.at,
    type: row.type,
    blockId: row.blockId,
    data: row.data,
  } as RunEvent;
}

/** For the `default:` of an exhaustive switch over event types. */
export function unreachable(value: never): never {
  throw new Error(`unexpected run event ${JSON.stringify(value)}`);
}

/** Receives a run's events in `seq` order. A returned promise is awaited only by the run store's recorder. */
export type RunEventListener = (event: RunEvent) => void;
