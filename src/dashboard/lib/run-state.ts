/**
 * A run's live state in the page, folded from its event stream (the gateway's run events, `v: 1`; see
 * src/runtime/run-events.ts): each block's status, head, duration, attempts, error and a log line per event.
 * `apply` returns the block the event changed (or `run`), so the page redraws only that. A block that has ended
 * (succeeded, failed, skipped, cancelled) stays ended. Pure, tested under Node.
 */

export type BlockStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped' | 'cancelled';
export type RunStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface WireEvent {
  readonly seq: number;
  readonly at: string;
  readonly type: string;
  readonly blockId: string | null;
  readonly data: Record<string, unknown> | null;
}

export interface WireError {
  readonly code: string;
  readonly message: string;
}

export interface BlockState {
  readonly id: string;
  lang: string;
  status: BlockStatus;
  head: string | null;
  durationMs: number | null;
  attempts: number;
  error: WireError | null;
  reason: string | null;
  readonly log: string[];
}

const FINAL: Readonly<Record<string, BlockStatus>> = {
  block_succeeded: 'succeeded',
  block_failed: 'failed',
  block_skipped: 'skipped',
  block_cancelled: 'cancelled',
};

function errorOf(value: unknown): WireError | null {
  const e = value as { code?: unknown; message?: unknown } | null | undefined;
  return e && typeof e.message === 'string' ? { code: String(e.code ?? 'error'), message: e.message } : null;
}

const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

export class RunState {
  readonly blocks = new Map<string, BlockState>();
  status: RunStatus = 'running';
  error: WireError | null = null;
  /** The highest event seq applied: replays and reconnects skip what is already here. */
  lastSeq = 0;

  constructor(blocks: readonly { id: string; lang: string }[] = []) {
    for (const b of blocks) this.block(b.id).lang = b.lang;
  }

  block(id: string): BlockState {
    let b = this.blocks.get(id);
    if (!b) {
      b = {
        id,
        lang: '',
        status: 'pending',
        head: null,
        durationMs: null,
        attempts: 0,
        error: null,
        reason: null,
        log: [],
      };
      this.blocks.set(id, b);
    }
    return b;
  }

  /** Applies one event; returns the id of the block it changed, `run` for run-level events, or undefined. */
  apply(event: WireEvent): string | undefined {
    if (!Number.isSafeInteger(event.seq) || event.seq <= this.lastSeq) return undefined;
    this.lastSeq = event.seq;
    const data = event.data ?? {};
    const time = str(event.at)?.slice(11, 23) ?? '';
    if (event.type === 'run_started') {
      const ids = Array.isArray(data['blocks']) ? data['blocks'] : [];
      const langs = Array.isArray(data['langs']) ? data['langs'] : [];
      ids.forEach((id, i) => {
        if (typeof id === 'string') this.block(id).lang ||= String(langs[i] ?? '');
      });
      return 'run';
    }
    if (event.type === 'run_finished') {
      const status = str(data['status']);
      if (status === 'succeeded' || status === 'failed' || status === 'cancelled') this.status = status;
      this.error = errorOf(data['error']);
      return 'run';
    }
    if (event.blockId === null) return undefined;
    const b = this.block(event.blockId);
    const final = FINAL[event.type];
    const ended = b.status !== 'pending' && b.status !== 'running';
    if (event.type === 'block_started') {
      // A block's final state is final: a replay that reaches a stored block late only adds to its log.
      if (!ended) b.status = 'running';
      b.head = str(data['head']) ?? b.head;
      b.attempts = num(data['attempt']) ?? b.attempts + 1;
      b.log.push(`${time} started on ${b.head ?? '?'} (attempt ${b.attempts})`);
    } else if (final !== undefined) {
      b.status = final;
      b.head = str(data['head']) ?? b.head;
      b.durationMs = num(data['durationMs']);
      b.attempts = num(data['attempts']) ?? b.attempts;
      b.error = errorOf(data['error']);
      b.reason = str(data['reason']);
      const took = b.durationMs === null ? '' : ` in ${Math.round(b.durationMs)} ms`;
      const why = b.error ? `: ${b.error.code}: ${b.error.message}` : b.reason ? `: ${b.reason}` : '';
      b.log.push(`${time} ${final}${took}${why}`);
    } else if (event.type === 'regenerate') {
      b.log.push(`${time} retried as attempt ${String(num(data['attempt']) ?? '?')}: ${str(data['reason']) ?? ''}`);
    } else if (event.type === 'ticket_issued') {
      b.log.push(`${time} ticket signed, audit log index ${String(num(data['logIndex']) ?? '?')}`);
    } else {
      b.log.push(`${time} ${event.type}`);
    }
    return b.id;
  }
}
