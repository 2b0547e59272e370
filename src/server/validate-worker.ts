/**
 * Entry of a validation worker thread (see validation/validation-pool.ts): parses and validates one document per
 * message and posts back the response body as JSON text.
 */
import { parentPort } from 'node:worker_threads';
import { answer } from './validation/answer.js';
import type { FromWorker, ToWorker } from './validation/messages.js';

parentPort?.on('message', (message: ToWorker) => parentPort?.postMessage(answer(message)));
parentPort?.postMessage({ type: 'ready' } satisfies FromWorker);
