/**
 * WebSocket /v1/ws: subscribe to the events of runs. Client → server `{"type":"subscribe","runId"}` and
 * `{"type":"unsubscribe","runId"}`; server → client `{"type":"subscribed"|"finished","runId"}`, `{"type":"event","runId","event"}` and
 * `{"type":"error","error":{code,message}}`.
 */
import type { WebSocket } from 'ws';
import type { FastifyRequest } from 'fastify';
import { runJson } from '../run-json.js';
import { streamRunEvents, type EventStream } from '../run-event-stream.js';
import type { RouteContext } from './route.js';

/** Client messages larger than this are refused (they are tiny JSON objects). */
const MAX_MESSAGE_BYTES = 4096;

type ClientMessage = { type: 'subscribe' | 'unsubscribe'; runId: string };

function parseMessage(raw: string): ClientMessage | string {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return 'message is not JSON';
  }
  const m = value as Partial<ClientMessage>;
  if ((m.type !== 'subscribe' && m.type !== 'unsubscribe') || typeof m.runId !== 'string' || m.runId.length > 64)
    return 'expected {"type":"subscribe"|"unsubscribe","runId":"<run id>"}';
  return m as ClientMessage;
}

export function runSocket(ctx: RouteContext, socket: WebSocket, _request: FastifyRequest): void {
  const { services, principal, gateway } = ctx;
  const streams = new Map<string, EventStream>();
  const send = (message: unknown): void => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  };
  const error = (code: string, message: string, runId?: string): void =>
    send({ type: 'error', ...(runId ? { runId } : {}), error: { code, message } });
  const closeAll = (): void => {
    for (const s of streams.values()) s.stop();
    streams.clear();
  };
  const shutdown = (): void => socket.close(1001, 'gateway shutting down');
  gateway.streams.add(shutdown);
  socket.on('close', () => {
    closeAll();
    gateway.streams.delete(shutdown);
  });
  socket.on('message', (data: Buffer, isBinary: boolean) => {
    if (isBinary || data.length > MAX_MESSAGE_BYTES) return error('usage', 'send small JSON text messages');
    const message = parseMessage(data.toString('utf8'));
    if (typeof message === 'string') return error('usage', message);
    const { runId } = message;
    if (message.type === 'unsubscribe') {
      streams.get(runId)?.stop();
      streams.delete(runId);
      return undefined;
    }
    if (streams.has(runId)) return undefined;
    void runJson(services, runId, principal).then((run) => {
      if (!run) return error('not_found', `no run ${runId}`, runId);
      send({ type: 'subscribed', runId });
      const stream = streamRunEvents(services, runId, (event) => send({ type: 'event', runId, event }));
      streams.set(runId, stream);
      void stream.done.then(() => {
        if (streams.get(runId) === stream) {
          streams.delete(runId);
          send({ type: 'finished', runId });
        }
      });
    });
    return undefined;
  });
}
