// Liveness (the process answers) and readiness (database reachable, at least one head ready, not draining).
import type { Route } from './route.js';

export const healthzRoute: Route = {
  method: 'GET',
  url: '/healthz',
  summary: 'Liveness: the gateway process answers',
  schema: { response: { 200: { type: 'object', properties: { status: { type: 'string' } } } } },
  handler: () => Promise.resolve({ status: 'ok' }),
};

export const readyzRoute: Route = {
  method: 'GET',
  url: '/readyz',
  summary: 'Readiness: database reachable and heads ready',
  handler: async ({ services }, _request, reply) => {
    const heads = services.pool.info();
    let database = true;
    try {
      await services.db.query('SELECT 1', []);
    } catch {
      database = false;
    }
    const ready = database && (heads.length === 0 || heads.some((h) => h.ready));
    return reply.code(ready ? 200 : 503).send({
      status: ready ? 'ready' : 'not_ready',
      database: services.db.kind,
      databaseReachable: database,
      heads: heads.map((h) => ({ name: h.name, class: h.headClass, ready: h.ready, busy: h.busy })),
      runsInFlight: services.runs.size,
    });
  },
};
