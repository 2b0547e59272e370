/**
 * The entry point of a head process (started with child_process.fork by the pool). It runs one task attempt at a
 * time with the executor for its language and answers heartbeats while the block runs. The OpenQASM engine is
 * loaded from the module named by MAML_QASM_ENGINE (exporting `qasmEngine`), else the project's engine is used.
 */
import { MamlError, serializeError } from '../../shared/index.js';
import { EXECUTORS, executorFor } from '../executors/index.js';
import type { QasmEngine } from '../executors/index.js';
import type { FromHead } from './messages-from-head.js';
import type { ToHead } from './messages-to-head.js';

function send(message: FromHead): void {
  process.send?.(message);
}

async function loadEngine(): Promise<QasmEngine | undefined> {
  const specifier = process.env['MAML_QASM_ENGINE'];
  if (!specifier) return undefined;
  const module = (await import(specifier)) as { qasmEngine?: QasmEngine; default?: QasmEngine };
  return module.qasmEngine ?? module.default;
}

const engine = await loadEngine();
const running = new Map<string, AbortController>();

async function run(attemptId: string, spec: Extract<ToHead, { type: 'run' }>['spec']): Promise<void> {
  const controller = new AbortController();
  running.set(attemptId, controller);
  try {
    const executor = executorFor(spec.lang);
    if (!executor || executor.placement !== 'head')
      throw new MamlError('unsupported', `this head cannot run ${spec.lang} blocks`);
    const result = await executor.run(spec, {
      signal: controller.signal,
      ...(engine ? { qasmEngine: engine } : {}),
    });
    send({ type: 'result', attemptId, result });
  } catch (error) {
    send({ type: 'failed', attemptId, error: serializeError(error) });
  } finally {
    running.delete(attemptId);
  }
}

process.on('message', (message: ToHead) => {
  switch (message.type) {
    case 'run':
      void run(message.attemptId, message.spec);
      break;
    case 'ping':
      send({ type: 'pong', seq: message.seq });
      break;
    case 'cancel':
      running.get(message.attemptId)?.abort();
      break;
    case 'shutdown':
      for (const controller of running.values()) controller.abort();
      process.disconnect?.();
      break;
    default: {
      const unknown: never = message;
      throw new Error(`unknown message ${JSON.stringify(unknown)}`);
    }
  }
});
// The scheduler going away (disconnect) ends the head: nothing else would ever send it work.
process.on('disconnect', () => process.exit(0));
send({ type: 'ready', pid: process.pid, langs: EXECUTORS.filter((e) => e.placement === 'head').map((e) => e.lang) });
