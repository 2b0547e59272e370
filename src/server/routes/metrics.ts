// GET /metrics: Prometheus text exposition of the gateway's registry.
import type { Route } from './route.js';

export const metricsRoute: Route = {
  method: 'GET',
  url: '/metrics',
  summary: 'Prometheus metrics',
  produces: 'text/plain; version=0.0.4',
  handler: async ({ services }, _request, reply) =>
    reply.type(services.metrics.registry.contentType).send(await services.metrics.registry.metrics()),
};
