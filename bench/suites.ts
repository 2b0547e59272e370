/** The registered benchmark suites, run in this order by `npm run bench`. */
import type { BenchSuite } from './harness.js';
import { cryptoSuite } from './crypto.js';

export const SUITES: readonly BenchSuite[] = [cryptoSuite];
