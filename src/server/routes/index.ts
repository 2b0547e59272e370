// The gateway's HTTP routes, in the order /openapi.json lists them. A new route is a new file and one line here.
import { checkpointRoute } from './audit.js';
import { headsRoute } from './heads.js';
import { healthzRoute, readyzRoute } from './health.js';
import { metricsRoute } from './metrics.js';
import { openapiRoute } from './openapi.js';
import { runDocumentRoute } from './run-document.js';
import { runEventsRoute } from './run-events.js';
import { listRunsRoute } from './run-list.js';
import { cancelRunRoute, getRunRoute, submitRunRoute } from './runs.js';
import { ticketRoute } from './tickets.js';
import { validateRoute } from './validate.js';
import type { Route } from './route.js';

export const ROUTES: readonly Route[] = [
  validateRoute,
  submitRunRoute,
  listRunsRoute,
  getRunRoute,
  runDocumentRoute,
  runEventsRoute,
  cancelRunRoute,
  ticketRoute,
  checkpointRoute,
  headsRoute,
  healthzRoute,
  readyzRoute,
  metricsRoute,
  openapiRoute,
];
