/** The registered benchmark suites, run in this order by `npm run bench`. */
import { formatSuite } from './format.js';
import type { BenchSuite } from './harness.js';
import { runtimeSuite } from './runtime.js';

export const SUITES: readonly BenchSuite[] = [formatSuite, runtimeSuite];
