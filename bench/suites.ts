/** The registered benchmark suites, run in this order by `npm run bench`. */
import { cliSuite } from './cli.js';
import { cryptoSuite } from './crypto.js';
import { formatSuite } from './format.js';
import type { BenchSuite } from './harness.js';
import { gpuSuite } from './gpu.js';
import { quantumBench } from './quantum.js';
import { queueSuite } from './queue.js';
import { runtimeSuite } from './runtime.js';
import { serverSuite } from './server.js';
import { serverSubmitSuite } from './server-submit.js';

export const SUITES: readonly BenchSuite[] = [
  formatSuite,
  quantumBench,
  runtimeSuite,
  cryptoSuite,
  serverSuite,
  serverSubmitSuite,
  queueSuite,
  cliSuite,
  gpuSuite,
];
