/**
 * Progress of `maml run` as it happens: on a TTY one line per block (state, head, duration, a spinner) redrawn in
 * place; otherwise one plain log line per event, so logs and CI output stay readable.
 */
import type { BlockReport, RunEvent } from '../runtime/index.js';
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

export function plainView(out: Output): RunView {
  const stamp = (): string => new Date().toISOString().slice(11, 19);
  return {
    onEvent(event) {
      switch (event.type) {
        case 'run_started':
          out.print(`${stamp()} run ${event.runId} started: ${event.blocks.length} blocks`);
          break;
        case 'block_started':
          out.print(
            `${stamp()} ${event.id} started on ${event.head}${event.attempt > 1 ? ` (attempt ${event.attempt})` : ''}`,
          );
          break;
        case 'block_finished': {
          const b = event.block;
          const detail = b.error
            ? `: ${terminalText(b.error.message.split('\n')[0] ?? '')}`
            : b.reason
              ? ` (${terminalText(b.reason)})`
              : '';
          const parts = [stamp(), b.id, `${b.status}${b.cached ? ' (cached)' : ''}`, ms(b.durationMs)].filter(Boolean);
          out.print(`${parts.join(' ')}${detail}`);
          break;
        }
        case 'regenerate':
          out.print(`${stamp()} ${event.id}: ${event.event.reason}; retrying (attempt ${event.event.attempt})`);
          break;
        case 'risk_accepted':
        case 'run_finished':
          break;
        default: {
          const unknown: never = event;
          void unknown;
        }
      }
    },
    stop: () => undefined,
  };
}

export function ttyView(out: Output): RunView {
  const blocks = new Map<string, BlockReport & { startedAt?: number }>();
  let drawn = 0;
  let frame = 0;
  let stopped = false;
  const icon = (b: BlockReport): string =>
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
          for (const b of event.blocks) blocks.set(b.id, b);
          break;
        case 'block_started': {
          const b = blocks.get(event.id);
          if (b) blocks.set(event.id, { ...b, status: 'running', head: event.head, startedAt: performance.now() });
          break;
        }
        case 'block_finished':
          blocks.set(event.block.id, event.block);
          break;
        case 'regenerate':
        case 'risk_accepted':
        case 'run_finished':
          break;
        default: {
          const unknown: never = event;
          void unknown;
        }
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
