// POST /v1/runs, GET /v1/runs/:id and POST /v1/runs/:id/cancel.
import { MamlError } from '../../shared/index.js';
import { RUN_BODY_SCHEMA, documentBody } from '../document-body.js';
import { runJson } from '../run-json.js';
import { mayAllowRisk } from '../auth/principal.js';
import { RUN_ID_PARAMS, type Route } from './route.js';

export const submitRunRoute: Route = {
  method: 'POST',
  url: '/v1/runs',
  summary: 'Submit a document to run; answers 202 with the run id at once, the run proceeds on the heads',
  scope: 'maml:run',
  consumes: ['text/markdown'],
  schema: {
    body: RUN_BODY_SCHEMA,
    response: {
      202: {
        type: 'object',
        required: ['id', 'status'],
        properties: { id: { type: 'string' }, status: { type: 'string' }, links: { type: 'object' } },
      },
    },
  },
  handler: async ({ services, principal }, request, reply) => {
    if (!principal) throw new MamlError('unauthorized', 'a bearer token is required');
    const { text, inputs } = documentBody(request.body);
    const id = await services.runs.submit({
      text,
      inputs,
      identity: principal.subject,
      allowRisk: mayAllowRisk(principal),
    });
    return reply
      .code(202)
      .header('location', `/v1/runs/${id}`)
      .send({
        id,
        status: 'running',
        links: { self: `/v1/runs/${id}`, events: `/v1/runs/${id}/events`, cancel: `/v1/runs/${id}/cancel` },
      });
  },
};

export const getRunRoute: Route = {
  method: 'GET',
  url: '/v1/runs/:id',
  summary: 'A run with its blocks, outputs, error and ticket ids',
  scope: 'maml:read',
  schema: { params: RUN_ID_PARAMS },
  handler: async ({ services, principal }, request) => {
    const { id } = request.params as { id: string };
    const run = await runJson(services, id, principal);
    if (!run) throw new MamlError('not_found', `no run ${id}`);
    return run;
  },
};

export const cancelRunRoute: Route = {
  method: 'POST',
  url: '/v1/runs/:id/cancel',
  summary:
    'Cancel a run: running blocks are killed and cancelled, blocks not started are skipped, the run ends cancelled',
  scope: 'maml:run',
  schema: { params: RUN_ID_PARAMS },
  handler: async ({ services, principal }, request, reply) => {
    const { id } = request.params as { id: string };
    const run = await runJson(services, id, principal);
    if (!run) throw new MamlError('not_found', `no run ${id}`);
    if (!services.runs.cancel(id))
      throw new MamlError('conflict', `run ${id} is not running on this gateway (status ${run.status})`);
    return reply.code(202).send({ id, status: 'cancelling' });
  },
};
