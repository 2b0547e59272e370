/** The registered benchmark suites, run in this order by `npm run bench`. */
import { cliSuite } from './cli.js';
import { cryptoSuite } from './crypto.js';
import { dashboardSuite } from './dashboard.js';
import { federatedSuite } from './federated.js';
import { formatSuite } from './format.js';
import type { BenchSuite } from './harness.js';
import { gpuSuite } from './gpu.js';
import { qecSuite } from './qec.js';
import { quantumBench } from './quantum.js';
import { quantumCallsSuite } from './quantum-calls.js';
import { queueSuite } from './queue.js';
import { runtimeSuite } from './runtime.js';
import { scanSuite } from './scan.js';
import { serverSuite } from './server.js';
import { serverSubmitSuite } from './server-submit.js';

export const SUITES: readonly BenchSuite[] = [
  formatSuite,
  quantumBench,
  runtimeSuite,
  quantumCallsSuite,
  cryptoSuite,
  scanSuite,
  serverSuite,
  serverSubmitSuite,
  queueSuite,
  cliSuite,
  dashboardSuite,
  gpuSuite,
  federatedSuite,
  qecSuite,
];
