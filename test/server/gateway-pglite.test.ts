// The gateway end-to-end suite on the embedded database (in-memory PGlite).
import { PGLITE } from './databases.js';
import { runGatewaySuite } from './gateway.case.js';

runGatewaySuite('PGlite', () => Promise.resolve(PGLITE));
