// The gateway's HTTP routes, in the order /openapi.json lists them. A new route is a new file and one line here.
import { checkpointRoute } from './audit.js';
import { healthzRoute, readyzRoute } from './health.js';
import { metricsRoute } from './metrics.js';
import { openapiRoute } from './openapi.js';
import { runEventsRoute } from './run-events.js';
import { cancelRunRoute, getRunRoute, submitRunRoute } from './runs.js';
import { ticketRoute } from './tickets.js';
import { validateRoute } from './validate.js';
import type { Route } from './route.js';

export const ROUTES: readonly Route[] = [
  validateRoute,
  submitRunRoute,
  getRunRoute,
  runEventsRoute,
  cancelRunRoute,
  ticketRoute,
  checkpointRoute,
  healthzRoute,
  readyzRoute,
  metricsRoute,
  openapiRoute,
];
