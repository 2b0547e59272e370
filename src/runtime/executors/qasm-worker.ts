// The simulation thread of a process that runs OpenQASM blocks (qasm-thread.ts starts it): one block at a time.
import { parentPort } from 'node:worker_threads';
import { serializeError } from '../../shared/index.js';
import { runQasmEngine } from './qasm-engine.js';
import type { FromQasmThread, ToQasmThread } from './qasm-thread-messages.js';
import { configureGpuTuning, gpuTuningFrom } from '../../quantum-gpu/gpu-tuning.js';

// A thread has its own module state: it reads the WebGPU backend's measurement knobs from the environment it
// shares with its process, as the process's entry point does.
configureGpuTuning(gpuTuningFrom(process.env));

const port = parentPort;
if (!port) throw new Error('qasm-worker.js runs as a worker thread');

function send(message: FromQasmThread): void {
  try {
    port?.postMessage(message);
  } catch (error) {
    // A result that cannot be cloned (an injected engine returned a function, say) is the block's failure.
    port?.postMessage({ type: 'failed', id: message.id, error: serializeError(error) });
  }
}

port.on('message', (message: ToQasmThread) => {
  switch (message.type) {
    case 'run':
      runQasmEngine(message.task, message.options, message.engineModule).then(
        (run) => send({ type: 'result', id: message.id, run }),
        (error: unknown) => send({ type: 'failed', id: message.id, error: serializeError(error) }),
      );
      break;
    default: {
      const unknown: never = message.type;
      throw new Error(`unknown message ${JSON.stringify(unknown)}`);
    }
  }
});
