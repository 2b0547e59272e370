/**
 * WebSocket /v1/ws: subscribe to the events of runs. Client → server `{"type":"subscribe","runId"}` and
 * `{"type":"unsubscribe","runId"}`; server → client `{"type":"subscribed"|"finished","runId"}`, `{"type":"event","runId","event"}` and
 * `{"type":"error","error":{code,message}}`. `{"type":"watch_runs"}` (the dashboard's run list) adds
 * `{"type":"run","runId","status"}` each time a run the caller may see starts (`running`) or finishes.
 */
import type { WebSocket } from 'ws';
import { hasScope, type Principal } from '../auth/principal.js';
import { toSerialized } from '../http/error-reply.js';
import { mayWatch } from '../run-json.js';
import { streamRunEvents, type EventStream } from '../run-event-stream.js';
import type { GatewaySocketContext } from './route.js';

/** Close codes (RFC 6455 §7.4.2 private range) for refused authentication and a missing scope. */
export const WS_CLOSE_UNAUTHORIZED = 4401;
export const WS_CLOSE_FORBIDDEN = 4403;
/** Close code for a subject that already holds its share of event streams. */
export const WS_CLOSE_TOO_MANY_STREAMS = 4429;
/** RFC 6455 §7.4.1: 1008 policy violation (here: messages faster than the socket's rate). */
export const WS_CLOSE_POLICY = 1008;

/** Client messages larger than this are refused (they are tiny JSON objects); ws enforces it while reading. */
export const MAX_MESSAGE_BYTES = 4096;
/** Default for the runs one socket may be subscribed to at once (finished runs leave the count). */
export const DEFAULT_SUBSCRIPTIONS_PER_SOCKET = 100;
/** Client messages per second, with bursts of `MESSAGE_BURST`; a socket that sends faster is closed with 1008. */
const MESSAGES_PER_SECOND = 20;
const MESSAGE_BURST = 60;

type ClientMessage = { type: 'subscribe' | 'unsubscribe'; runId: string } | { type: 'watch_runs' };

function parseMessage(raw: string): ClientMessage | string {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return 'message is not JSON';
  }
  const m = value as { type?: unknown; runId?: unknown } | null;
  if (m?.type === 'watch_runs') return { type: 'watch_runs' };
  if ((m?.type !== 'subscribe' && m?.type !== 'unsubscribe') || typeof m.runId !== 'string' || m.runId.length > 64)
    return 'expected {"type":"subscribe"|"unsubscribe","runId":"<run id>"} or {"type":"watch_runs"}';
  return { type: m.type, runId: m.runId };
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
  let unwatch: (() => void) | undefined;
  const closeAll = (): void => {
    for (const s of streams.values()) s.stop();
    streams.clear();
    unwatch?.();
  };
  const shutdown = (): void => socket.close(1001, 'gateway shutting down');
  let release: (() => void) | undefined;
  gateway.streams.add(shutdown);
  socket.on('close', () => {
    closeAll();
    release?.();
    gateway.streams.delete(shutdown);
  });
  const ready = who.then(
    (p) => {
      principal = p;
      release = gateway.streamQuota.take(p.subject);
      if (release) return true;
      error(
        'rate_limited',
        `${p.subject} already has ${gateway.streamQuota.perSubject} event streams open (SSE and WebSocket together), the most one subject may hold; close one first`,
      );
      socket.close(WS_CLOSE_TOO_MANY_STREAMS, 'too many event streams');
      return false;
    },
    (failure: unknown) => {
      const e = toSerialized(failure);
      error(e.code, e.message);
      socket.close(e.code === 'unauthorized' ? WS_CLOSE_UNAUTHORIZED : WS_CLOSE_FORBIDDEN, e.code);
      return false;
    },
  );
  let tokens = MESSAGE_BURST;
  let at = performance.now();
  socket.on('message', (data: Buffer, isBinary: boolean) => {
    const now = performance.now();
    tokens = Math.min(MESSAGE_BURST, tokens + ((now - at) / 1000) * MESSAGES_PER_SECOND);
    at = now;
    if (tokens < 1) {
      error('rate_limited', `send at most ${MESSAGES_PER_SECOND} messages per second`);
      return void socket.close(WS_CLOSE_POLICY, 'too many messages');
    }
    tokens -= 1;
    void ready.then((ok) => ok && onMessage(data, isBinary));
  });
  // Starts and ends of the runs this principal may see: live runs carry their owner in memory.
  const watchRuns = (): (() => void) =>
    services.bus.subscribeAll((event) => {
      if (event.type !== 'run_started' && event.type !== 'run_finished') return;
      const owner = services.runs.liveRun(event.runId)?.identity;
      const mine = principal !== undefined && (hasScope(principal, 'maml:admin') || owner === principal.subject);
      if (!mine) return;
      const status = event.type === 'run_started' ? 'running' : event.data.status;
      send({ type: 'run', runId: event.runId, status });
    });
  const onMessage = (data: Buffer, isBinary: boolean): void => {
    if (isBinary || data.length > MAX_MESSAGE_BYTES) return void error('usage', 'send small JSON text messages');
    const message = parseMessage(data.toString('utf8'));
    if (typeof message === 'string') return void error('usage', message);
    if (message.type === 'watch_runs') return void (unwatch ??= watchRuns());
    const { runId } = message;
    if (message.type === 'unsubscribe') {
      streams.get(runId)?.stop();
      streams.delete(runId);
      return;
    }
    if (streams.has(runId)) return;
    const most = gateway.subscriptionsPerSocket;
    if (streams.size >= most)
      return void error(
        'rate_limited',
        `this socket is subscribed to ${most} runs, the most one socket may hold; unsubscribe from one first`,
        runId,
      );
    void mayWatch(services, runId, principal).then((allowed) => {
      if (!allowed) return error('not_found', `no run ${runId}`, runId);
      if (streams.has(runId) || socket.readyState !== socket.OPEN) return;
      if (streams.size >= most)
        return error('rate_limited', `this socket is subscribed to ${most} runs already`, runId);
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
