/**
 * Progress of `maml run` as it happens: on a TTY one line per block (state, head, duration, a spinner) redrawn in
 * place; otherwise one plain log line per event, so logs and CI output stay readable.
 */
import { finishedStatus, unreachable } from '../runtime/run-events.js';
import type { BlockStatus, FederatedRoundData, RunEvent } from '../runtime/run-events.js';
import type { Output } from './output.js';
import { terminalText } from './terminal-text.js';

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export interface RunView {
  onEvent(event: RunEvent): void;
  stop(): void;
}

function ms(value: number | null): string {
  return value === null ? '' : value < 1000 ? `${Math.round(value)} ms` : `${(value / 1000).toFixed(1)} s`;
}

/** One line of federated progress: round, clients in, loss/accuracy, epsilon. */
export function federatedRoundLine(r: FederatedRoundData): string {
  const metric = (name: string, v: number | null): string => (v === null ? '' : ` ${name} ${v.toFixed(4)}`);
  const dropped = r.dropped.length + r.excluded.length;
  const head = `round ${r.round} ${r.status}: ${r.included.length}/${r.sampled} clients in${dropped > 0 ? ` (${dropped} out)` : ''}`;
  const tail = r.error
    ? `: ${terminalText(r.error)}`
    : `${metric('loss', r.loss)}${metric('accuracy', r.accuracy)}${metric('epsilon', r.epsilon)}`;
  return `${head}${tail} ${ms(r.durationMs)}`;
}

export function plainView(out: Output): RunView {
  const stamp = (): string => new Date().toISOString().slice(11, 19);
  return {
    onEvent(event) {
      switch (event.type) {
        case 'run_started':
          out.print(`${stamp()} run ${event.runId} started: ${event.data.blocks.length} blocks`);
          break;
        case 'run_resumed':
          out.print(
            `${stamp()} run ${event.runId} resumed: ${event.data.done.length} of ${event.data.blocks.length} blocks already done`,
          );
          break;
        case 'block_started':
          out.print(
            `${stamp()} ${event.blockId ?? '?'} started on ${event.data.head}${event.data.attempt > 1 ? ` (attempt ${event.data.attempt})` : ''}`,
          );
          break;
        case 'block_succeeded':
        case 'block_failed':
        case 'block_skipped':
        case 'block_cancelled': {
          const b = event.data;
          const detail = b.error
            ? `: ${terminalText(b.error.message.split('\n')[0] ?? '')}`
            : b.reason
              ? ` (${terminalText(b.reason)})`
              : '';
          const status = finishedStatus(event) ?? '';
          const parts = [stamp(), event.blockId ?? '?', `${status}${b.cached ? ' (cached)' : ''}`, ms(b.durationMs)];
          out.print(`${parts.filter(Boolean).join(' ')}${detail}`);
          break;
        }
        case 'regenerate':
          out.print(
            `${stamp()} ${event.blockId ?? '?'}: ${event.data.reason}; retrying (attempt ${event.data.attempt})`,
          );
          break;
        case 'federated_round':
          out.print(`${stamp()} ${federatedRoundLine(event.data)}`);
          break;
        case 'fairness_checked': {
          const f = event.data;
          if (f.defaults) out.print(`${stamp()} ${event.blockId ?? '?'}: warning: ${f.defaults}`);
          if (!f.passed && f.level === 'warn')
            (f.message ?? f.metric)
              .split('\n')
              .forEach((line, n) =>
                out.print(
                  n === 0
                    ? `${stamp()} ${event.blockId ?? '?'}: warning: ${terminalText(line)}`
                    : `  ${terminalText(line)}`,
                ),
              );
          else if (f.passed)
            out.print(
              `${stamp()} ${event.blockId ?? '?'}: ${f.metric} = ${String(f.value)} (threshold ${f.threshold})`,
            );
          break;
        }
        case 'risk_accepted':
        case 'ticket_issued':
        case 'record_issued':
        case 'record_failed':
        case 'run_finished':
          break;
        default:
          unreachable(event);
      }
    },
    stop: () => undefined,
  };
}

/** A block's line in the live view. */
interface Row {
  readonly id: string;
  readonly lang: string;
  readonly head: string | null;
  readonly status: BlockStatus;
  readonly durationMs: number | null;
  readonly error: { readonly message: string } | null;
  readonly cached: boolean;
  readonly startedAt?: number;
}

export function ttyView(out: Output): RunView {
  const blocks = new Map<string, Row>();
  let drawn = 0;
  let frame = 0;
  /** The latest federated round, shown under the blocks. */
  let round = '';
  let stopped = false;
  const icon = (b: Row): string =>
    b.status === 'succeeded'
      ? out.paint('green', '✔')
      : b.status === 'failed'
        ? out.paint('red', '✖')
        : b.status === 'skipped' || b.status === 'cancelled'
          ? out.paint('dim', '–')
          : b.status === 'running'
            ? out.paint('cyan', SPINNER[frame % SPINNER.length] ?? '*')
            : out.paint('dim', '·');
  const draw = (): void => {
    if (stopped) return;
    const width = Math.max(4, ...[...blocks.keys()].map((k) => k.length));
    const lines = [...blocks.values()].map((b) => {
      const elapsed =
        b.status === 'running' && b.startedAt !== undefined ? performance.now() - b.startedAt : b.durationMs;
      const error = b.error
        ? out.paint('red', ` ${terminalText(b.error.message.split('\n')[0]?.slice(0, 80) ?? '')}`)
        : '';
      return `${icon(b)} ${b.id.padEnd(width)}  ${b.lang.padEnd(10)} ${(b.head ?? '').padEnd(10)} ${b.status.padEnd(9)} ${ms(elapsed)}${b.cached ? ' (cached)' : ''}${error}`;
    });
    if (round !== '') lines.push(round);
    let text = drawn > 0 ? `\u001b[${drawn}A` : '';
    for (const line of lines) text += `\u001b[2K${line}\n`;
    out.stdout.write(text);
    drawn = lines.length;
  };
  const timer = setInterval(() => {
    frame++;
    draw();
  }, 100);
  timer.unref();
  return {
    onEvent(event) {
      switch (event.type) {
        case 'run_started':
        case 'run_resumed':
          event.data.blocks.forEach((id, i) =>
            blocks.set(id, {
              id,
              lang: event.data.langs[i] ?? '',
              head: null,
              status: event.type === 'run_resumed' && event.data.done.includes(id) ? 'succeeded' : 'pending',
              durationMs: null,
              error: null,
              cached: false,
            }),
          );
          break;
        case 'block_started': {
          const b = blocks.get(event.blockId ?? '');
          if (b) blocks.set(b.id, { ...b, status: 'running', head: event.data.head, startedAt: performance.now() });
          break;
        }
        case 'block_succeeded':
        case 'block_failed':
        case 'block_skipped':
        case 'block_cancelled': {
          const b = blocks.get(event.blockId ?? '');
          const { head, durationMs, error, cached } = event.data;
          const status = finishedStatus(event);
          if (b && status) blocks.set(b.id, { id: b.id, lang: b.lang, head, status, durationMs, error, cached });
          break;
        }
        case 'federated_round':
          round = federatedRoundLine(event.data);
          break;
        case 'regenerate':
        case 'risk_accepted':
        case 'fairness_checked':
        case 'ticket_issued':
        case 'record_issued':
        case 'record_failed':
        case 'run_finished':
          break;
        default:
          unreachable(event);
      }
      draw();
    },
    stop() {
      clearInterval(timer);
      draw();
      stopped = true;
    },
  };
}
