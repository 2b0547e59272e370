/**
 * A validation worker that misbehaves on request, for the pool's failure tests: the document `CRASH` ends the
 * thread, `THROW` throws outside any handler, `HANG` never answers; every other document gets the real answer.
 */
import { parentPort } from 'node:worker_threads';
import { answer } from '../../src/server/validation/answer.js';
import type { FromWorker, ToWorker } from '../../src/server/validation/messages.js';

parentPort?.on('message', (message: ToWorker) => {
  if (message.text === 'CRASH') process.exit(3);
  if (message.text === 'THROW') throw new Error('worker blew up');
  if (message.text === 'HANG') for (;;);
  parentPort?.postMessage(answer(message));
});
parentPort?.postMessage({ type: 'ready' } satisfies FromWorker);
