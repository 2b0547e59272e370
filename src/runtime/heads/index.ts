// Public exports of the heads: the supervised pool, its configuration and the message types of its protocol.
export { HeadPool } from './head-pool.js';
export type {
  HeadInfo,
  HeadPoolEvent,
  HeadPoolObserver,
  HeadPoolOptions,
  RegenerateEvent,
  SubmitOptions,
  SubmitResult,
} from './head-pool.js';
export { DEFAULT_HEADS, parseHeads } from './head-config.js';
export type { HeadClassCount } from './head-config.js';
export type { ToHead } from './messages-to-head.js';
export type { FromHead } from './messages-from-head.js';
