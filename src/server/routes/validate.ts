// POST /v1/validate: every diagnostic for a document, as the CLI's `maml validate --json` gives them.
import { parse, validateDocument } from '../../format/index.js';
import { VALIDATE_BODY_SCHEMA, documentBody } from '../document-body.js';
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
  handler: async (_ctx, request) => {
    const { text, profile } = documentBody(request.body);
    const result = validateDocument(parse(text), { profile: profile ?? 'lenient' });
    return Promise.resolve({ ok: result.ok, profile: profile ?? 'lenient', diagnostics: result.diagnostics });
  },
};
