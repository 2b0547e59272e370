// GET /v1/runs: the caller's runs (every run for `maml:admin`), newest first, with filters and cursor paging.
import { hasScope } from '../auth/principal.js';
import { LIST_STATUSES, MAX_PAGE_SIZE, listRuns, type RunListQuery } from '../run-list.js';
import type { Route } from './route.js';

const RUN_SUMMARY = {
  type: 'object',
  required: ['id', 'status', 'identity', 'documentId', 'title', 'startedAt', 'finishedAt', 'durationMs'],
  properties: {
    id: { type: 'string' },
    status: { enum: [...LIST_STATUSES] },
    identity: { type: 'string' },
    documentId: { type: ['string', 'null'] },
    title: { type: ['string', 'null'] },
    startedAt: { type: 'string', format: 'date-time' },
    finishedAt: { type: ['string', 'null'], format: 'date-time' },
    durationMs: { type: ['integer', 'null'] },
  },
} as const;

export const listRunsRoute: Route = {
  method: 'GET',
  url: '/v1/runs',
  summary:
    'Runs newest first (your own; every run with maml:admin), filtered by status, identity, document and start time, paged with `next`',
  scope: 'maml:read',
  schema: {
    querystring: {
      type: 'object',
      properties: {
        limit: { type: 'string', pattern: '^[1-9][0-9]{0,2}$', description: `page size, 1 to ${MAX_PAGE_SIZE}` },
        cursor: { type: 'string', maxLength: 200, description: 'the `next` of the previous page' },
        status: { enum: [...LIST_STATUSES] },
        identity: { type: 'string', minLength: 1, maxLength: 512 },
        document: {
          type: 'string',
          maxLength: 200,
          description: 'words that must all appear in the document id or title',
        },
        since: { type: 'string', maxLength: 40, description: 'started at or after (ISO 8601)' },
        until: { type: 'string', maxLength: 40, description: 'started before (ISO 8601)' },
      },
      additionalProperties: false,
    },
    response: {
      200: {
        type: 'object',
        required: ['runs', 'next'],
        properties: { runs: { type: 'array', items: RUN_SUMMARY }, next: { type: ['string', 'null'] } },
      },
    },
  },
  handler: async ({ services, principal }, request) => {
    const q = request.query as Record<string, string | undefined>;
    const query: RunListQuery = {
      ...(q['limit'] === undefined ? {} : { limit: Math.min(Number(q['limit']), MAX_PAGE_SIZE) }),
      ...(q['cursor'] === undefined ? {} : { cursor: q['cursor'] }),
      ...(q['status'] === undefined ? {} : { status: q['status'] as RunListQuery['status'] & string }),
      ...(q['identity'] === undefined ? {} : { identity: q['identity'] }),
      ...(q['document'] === undefined ? {} : { document: q['document'] }),
      ...(q['since'] === undefined ? {} : { since: q['since'] }),
      ...(q['until'] === undefined ? {} : { until: q['until'] }),
      ...(principal && !hasScope(principal, 'maml:admin') ? { owner: principal.subject } : {}),
    };
    return listRuns(services.db, query);
  },
};
