// GET /v1/runs/:id/events: the run's events as Server-Sent Events (id = sequence number, Last-Event-ID resumes).
import { MamlError } from '../../shared/index.js';
import { mayWatch } from '../run-json.js';
import { streamRunEvents } from '../run-event-stream.js';
import { RUN_ID_PARAMS, type Route } from './route.js';

export const runEventsRoute: Route = {
  method: 'GET',
  url: '/v1/runs/:id/events',
  summary: 'Stream run events (text/event-stream); ends after run_finished',
  scope: 'maml:read',
  produces: 'text/event-stream',
  schema: { params: RUN_ID_PARAMS },
  handler: async ({ services, principal, gateway }, request, reply) => {
    const { id } = request.params as { id: string };
    if (!(await mayWatch(services, id, principal))) throw new MamlError('not_found', `no run ${id}`);
    const lastId = Number(request.headers['last-event-id'] ?? 0);
    const release = gateway.streamQuota.take(principal?.subject ?? '');
    if (!release)
      throw new MamlError(
        'rate_limited',
        `${principal?.subject ?? 'this subject'} already has ${gateway.streamQuota.perSubject} event streams open (SSE and WebSocket together), the most one subject may hold; close one first`,
        { retryable: true, details: { retryAfterSeconds: 5 } },
      );
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      // The headers the request hook set (security, CORS) go out on the hijacked response too.
      ...(reply.getHeaders() as Record<string, string>),
      'content-type': 'text/event-stream; charset=utf-8',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write(': stream of run events\n\n');
    const stream = streamRunEvents(
      services,
      id,
      (event) => res.write(`id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`),
      Number.isSafeInteger(lastId) && lastId > 0 ? lastId : 0,
    );
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    const end = (): void => stream.stop();
    gateway.streams.add(end);
    request.raw.on('close', end);
    await stream.done;
    release();
    clearInterval(keepAlive);
    gateway.streams.delete(end);
    res.end();
  },
};
