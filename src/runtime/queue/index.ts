// Public exports of the block queue (durable runs, workers on other machines): pg-boss on the run database.
export { BLOCK_JOB_VERSION, attemptKey, blockJobProblem, queueName } from './block-job.js';
export type { BlockJob } from './block-job.js';
export { BLOCK_RETRY_LIMIT, BOSS_SCHEMA, openBoss } from './boss.js';
export { admissionKey } from './admission.js';
export type { AdmissionKey } from './admission.js';
export { openDurableQueue } from './durable-queue.js';
export type { DurableQueue, DurableQueueOptions } from './durable-queue.js';
export { QueueWorker } from './queue-worker.js';
export type { QueueWorkerOptions } from './queue-worker.js';
export { QueueRemoteBlocks } from './remote-blocks.js';
export type { RemoteBlockInput, RemoteBlockResult, RemoteBlocks, RemoteBlocksOptions } from './remote-blocks.js';
export { commitTicket } from './ticket-commit.js';
export {
  ADMISSION_KEY,
  endorse,
  isEndorsed,
  listWorkers,
  storeEndorsement,
  workerKey,
  workerKeys,
} from './worker-store.js';
export type { WorkerKeyRow, WorkerRow } from './worker-store.js';
