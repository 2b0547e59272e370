// Public exports of the runtime (Node only): task specs, the sandbox, executors, heads, scheduler and run database.
export * from './task-spec.js';
export { parseDuration } from './duration.js';
export * from './sandbox/index.js';
export * from './executors/index.js';
export * from './heads/index.js';
export * from './db/index.js';
export * from './scheduler/index.js';
export * from './tickets/index.js';
