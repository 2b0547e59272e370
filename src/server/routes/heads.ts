/**
 * GET /v1/heads: the heads of this gateway's pool (name, class, process, ready, busy, last heartbeat), the tasks
 * waiting for one, and the tickets each head has signed. Only the local pool: remote workers report elsewhere
 * (their own list is where they will join this answer, under `workers`).
 */
import type { Route } from './route.js';

export const headsRoute: Route = {
  method: 'GET',
  url: '/v1/heads',
  summary: 'The heads of the local pool with their state and last heartbeat, the queue, and tickets per head',
  scope: 'maml:read',
  schema: {
    response: {
      200: {
        type: 'object',
        required: ['heads', 'queued', 'workers'],
        properties: {
          heads: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                name: { type: 'string' },
                headClass: { type: 'string' },
                pid: { type: ['integer', 'null'] },
                state: { enum: ['starting', 'idle', 'busy'] },
                lastHeartbeat: { type: 'string', format: 'date-time' },
                tickets: { type: 'integer' },
              },
            },
          },
          queued: { type: 'integer' },
          workers: { type: 'array', description: 'remote workers (none yet: only the local pool is listed)' },
        },
      },
    },
  },
  handler: async ({ services }) => {
    const counts = await services.db.query(
      `SELECT b.head, count(*)::int AS n FROM maml.tickets t
         JOIN maml.block_executions b ON b.run_id = t.run_id AND b.block_id = t.block_id
        GROUP BY b.head`,
      [],
    );
    const tickets = new Map(counts.rows.map((r) => [String(r['head']), Number(r['n'])]));
    return {
      heads: services.pool.info().map((h) => ({
        name: h.name,
        headClass: h.headClass,
        pid: h.pid ?? null,
        state: !h.ready ? 'starting' : h.busy ? 'busy' : 'idle',
        lastHeartbeat: new Date(h.lastSeen).toISOString(),
        tickets: tickets.get(h.name) ?? 0,
      })),
      queued: services.pool.queued,
      workers: [],
    };
  },
};
