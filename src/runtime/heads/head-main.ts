/**
 * The entry point of a head process (started with child_process.fork by the pool). It runs one task attempt at a
 * time with the executor for its language and answers heartbeats while the block runs (OpenQASM simulations run on
 * a thread of their own, so the event loop stays free). A `cancel` aborts the attempt: the executor kills the
 * block's processes (or stops its simulation thread) and the attempt fails `cancelled`. Outputs are checked here,
 * before they are serialized for the scheduler. The tools the executors declare (interpreters, an injected
 * OpenQASM engine module) are read once from this process's environment at start, which the pool builds from the
 * gateway's own and its `env` option, and handed to every run as data.
 */
import { MamlError, serializeError } from '../../shared/index.js';
import { EXECUTORS, compileExecutorTools, executorFor } from '../executors/index.js';
import { configureGpuTuning, gpuTuningFrom } from '../../quantum-gpu/gpu-tuning.js';
import { configureHostTools, hostToolsFrom } from '../sandbox/host-tools.js';
import { checkOutputs } from '../output-check.js';
import type { FromHead } from './messages-from-head.js';
import type { ToHead } from './messages-to-head.js';

function send(message: FromHead): void {
  process.send?.(message);
}

/** Read once: executors get them as data (`context.tools`) and never read the environment themselves. */
const tools = compileExecutorTools(EXECUTORS, process.env);
// And where the sandbox's host programs are, and whom blocks run as (MAML_BWRAP, MAML_SANDBOX_USER, PATH…).
configureHostTools(hostToolsFrom(process.env));
// And the WebGPU backend's measurement knobs (MAML_GPU_*, MAML_WEBGPU_FLAGS), for qasm_simulate on this head.
configureGpuTuning(gpuTuningFrom(process.env));
const running = new Map<string, AbortController>();

async function run(attemptId: string, spec: Extract<ToHead, { type: 'run' }>['spec']): Promise<void> {
  const controller = new AbortController();
  running.set(attemptId, controller);
  try {
    const executor = executorFor(spec.lang);
    if (!executor || executor.placement !== 'head')
      throw new MamlError('unsupported', `this head cannot run ${spec.lang} blocks`);
    const result = await executor.run(spec, { signal: controller.signal, tools });
    checkOutputs(spec.blockId, result.outputs, spec.limits.outputLimitBytes);
    send({ type: 'result', attemptId, result });
  } catch (error) {
    try {
      send({ type: 'failed', attemptId, error: serializeError(error) });
    } catch {
      // Details that cannot be serialized (a BigInt, a cycle) must not cost the head: the message alone.
      const { code, message, retryable } = serializeError(error);
      send({ type: 'failed', attemptId, error: { code, message, retryable } });
    }
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
      // Not at once: this message may be one Node replays from the messages that arrived while the head was
      // still loading, and disconnecting inside that replay makes Node throw (and the head exit with an error).
      setImmediate(() => process.disconnect?.());
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
