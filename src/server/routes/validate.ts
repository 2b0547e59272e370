// POST /v1/validate: every diagnostic for a document, as the CLI's `maml validate --json` gives them.
import { VALIDATE_BODY_SCHEMA, documentBody } from '../document-body.js';
import { validationAnswer } from '../validation/index.js';
import type { Route } from './route.js';

export const validateRoute: Route = {
  method: 'POST',
  url: '/v1/validate',
  summary: 'Validate a MAML document (text/markdown body or JSON {document, profile})',
  scope: 'maml:validate',
  consumes: ['text/markdown', 'text/plain'],
  schema: {
    body: VALIDATE_BODY_SCHEMA,
    response: {
      200: {
        type: 'object',
        required: ['ok', 'diagnostics'],
        properties: { ok: { type: 'boolean' }, profile: { type: 'string' }, diagnostics: { type: 'array' } },
      },
    },
  },
  handler: async (ctx, request, reply) => {
    const { text, profile } = documentBody(request.body);
    const pool = ctx.services.validation;
    if (pool === undefined) return Promise.resolve(validationAnswer(text, profile ?? 'lenient'));
    // The worker sends the body already serialized (the same bytes Fastify's JSON.stringify would give).
    try {
      const json = await pool.validate(text, profile ?? 'lenient');
      return reply.type('application/json; charset=utf-8').send(json);
    } catch (error) {
      if ((error as { retryable?: unknown }).retryable === true) reply.header('retry-after', '1');
      throw error;
    }
  },
};
