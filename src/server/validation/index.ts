// The validation pool: parse + validate of request bodies in worker processes, and the checkers validation runs.
export { ValidationPool, DEFAULT_VALIDATE_QUEUE, DEFAULT_VALIDATE_TIMEOUT_MS } from './validation-pool.js';
export type { ValidationPoolOptions, ReplaceReason } from './validation-pool.js';
export { validationAnswer } from './validation-result.js';
export type { ValidationAnswer } from './validation-result.js';
export { defaultValidateThreads } from './default-threads.js';
