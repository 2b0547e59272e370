/**
 * WebSocket /v1/ws: subscribe to the events of runs. Client → server `{"type":"subscribe","runId"}` and
 * `{"type":"unsubscribe","runId"}`; server → client `{"type":"subscribed"|"finished","runId"}`, `{"type":"event","runId","event"}` and
 * `{"type":"error","error":{code,message}}`.
 */
import type { WebSocket } from 'ws';
import type { Principal } from '../auth/principal.js';
import { toSerialized } from '../http/error-reply.js';
import { mayWatch } from '../run-json.js';
import { streamRunEvents, type EventStream } from '../run-event-stream.js';
import type { GatewaySocketContext } from './route.js';

/** Close codes (RFC 6455 §7.4.2 private range) for refused authentication and a missing scope. */
export const WS_CLOSE_UNAUTHORIZED = 4401;
export const WS_CLOSE_FORBIDDEN = 4403;

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

/**
 * Serves one socket. Authentication is checked after the upgrade (a refused upgrade cannot carry our JSON error):
 * a bad token closes the socket with 4401, a missing scope with 4403, after an `error` message saying why.
 */
export function runSocket(ctx: GatewaySocketContext, socket: WebSocket, who: Promise<Principal>): void {
  const { services, gateway } = ctx;
  let principal: Principal | undefined;
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
  const ready = who.then(
    (p) => {
      principal = p;
      return true;
    },
    (failure: unknown) => {
      const e = toSerialized(failure);
      error(e.code, e.message);
      socket.close(e.code === 'unauthorized' ? WS_CLOSE_UNAUTHORIZED : WS_CLOSE_FORBIDDEN, e.code);
      return false;
    },
  );
  socket.on('message', (data: Buffer, isBinary: boolean) => void ready.then((ok) => ok && onMessage(data, isBinary)));
  const onMessage = (data: Buffer, isBinary: boolean): void => {
    if (isBinary || data.length > MAX_MESSAGE_BYTES) return void error('usage', 'send small JSON text messages');
    const message = parseMessage(data.toString('utf8'));
    if (typeof message === 'string') return void error('usage', message);
    const { runId } = message;
    if (message.type === 'unsubscribe') {
      streams.get(runId)?.stop();
      streams.delete(runId);
      return;
    }
    if (streams.has(runId)) return;
    void mayWatch(services, runId, principal).then((allowed) => {
      if (!allowed) return error('not_found', `no run ${runId}`, runId);
      if (streams.has(runId) || socket.readyState !== socket.OPEN) return;
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
  };
}
