// The gateway end-to-end suite on a real PostgreSQL server, in a fresh database dropped afterwards.
import { freshPostgres } from './databases.js';
import { runGatewaySuite } from './gateway.case.js';

runGatewaySuite('PostgreSQL', freshPostgres);
