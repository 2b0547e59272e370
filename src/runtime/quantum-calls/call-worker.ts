// The thread that evaluates a block's quantum calls (call-thread.ts starts it): one request at a time.
import { parentPort } from 'node:worker_threads';
import type { FromCallThread, ToCallThread } from './call-thread-messages.js';
import { evaluate } from './evaluate.js';
import type { EvaluationOutcome } from './evaluate.js';

const port = parentPort;
if (!port) throw new Error('call-worker.js runs as a worker thread');

port.on('message', (message: ToCallThread) => {
  switch (message.type) {
    case 'evaluate': {
      const started = performance.now();
      let outcome: EvaluationOutcome;
      try {
        outcome = evaluate(message.request, message.limits);
      } catch (error) {
        outcome = {
          ok: false,
          error: { code: 'simulation_failed', message: error instanceof Error ? error.message : String(error) },
        };
      }
      const reply: FromCallThread = {
        type: 'evaluated',
        id: message.request.id,
        outcome,
        ms: performance.now() - started,
      };
      port.postMessage(reply);
      break;
    }
    default: {
      const unknown: never = message.type;
      throw new Error(`unknown message ${JSON.stringify(unknown)}`);
    }
  }
});
