/** Worker-thread entry of the load generator: runs closedLoop with workerData and posts the result back. */
import { parentPort, workerData } from 'node:worker_threads';
import { closedLoop, type ClosedLoopOptions } from './closed-loop.js';

const result = await closedLoop(workerData as ClosedLoopOptions);
parentPort?.postMessage(result, [result.latencies.buffer as ArrayBuffer]);
