/**
 * One WebSocket to /v1/ws for the whole page: run subscriptions (`subscribe` replays a run's stored events,
 * then live ones) and the run list's `watch_runs`. It reconnects with a growing pause and subscribes again;
 * the run state skips events it already has by `seq`.
 */
import { token } from './api.js';
import type { WireEvent } from '../lib/run-state.js';

type RunListener = { onEvent(event: WireEvent): void; onFinished(): void; onError(message: string): void };
type WatchListener = (runId: string, status: string) => void;

let socket: WebSocket | undefined;
let retryMs = 500;
const runs = new Map<string, Set<RunListener>>();
const watchers = new Set<WatchListener>();
const statusListeners = new Set<(connected: boolean) => void>();

function send(message: unknown): void {
  if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
}

function connect(): void {
  if (socket && socket.readyState <= WebSocket.OPEN) return;
  const t = token();
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/v1/ws${t ? `?access_token=${encodeURIComponent(t)}` : ''}`;
  const ws = new WebSocket(url);
  socket = ws;
  ws.addEventListener('open', () => {
    retryMs = 500;
    for (const l of statusListeners) l(true);
    for (const runId of runs.keys()) send({ type: 'subscribe', runId });
    if (watchers.size > 0) send({ type: 'watch_runs' });
  });
  ws.addEventListener('message', (m) => {
    let msg: { type?: string; runId?: string; event?: WireEvent; status?: string; error?: { message?: string } };
    try {
      msg = JSON.parse(String(m.data)) as typeof msg;
    } catch {
      return;
    }
    const listeners = msg.runId ? runs.get(msg.runId) : undefined;
    if (msg.type === 'event' && msg.event) for (const l of listeners ?? []) l.onEvent(msg.event);
    else if (msg.type === 'finished') for (const l of listeners ?? []) l.onFinished();
    else if (msg.type === 'run' && msg.runId && msg.status) for (const w of watchers) w(msg.runId, msg.status);
    else if (msg.type === 'error') for (const l of listeners ?? []) l.onError(msg.error?.message ?? 'error');
  });
  ws.addEventListener('close', () => {
    if (socket !== ws) return;
    socket = undefined;
    for (const l of statusListeners) l(false);
    if (runs.size > 0 || watchers.size > 0) {
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 10_000);
    }
  });
}

/** Follows a run's events; returns the function that stops. */
export function followRun(runId: string, listener: RunListener): () => void {
  let set = runs.get(runId);
  if (!set) {
    runs.set(runId, (set = new Set()));
    send({ type: 'subscribe', runId });
  }
  set.add(listener);
  connect();
  return () => {
    set.delete(listener);
    if (set.size === 0) {
      runs.delete(runId);
      send({ type: 'unsubscribe', runId });
    }
  };
}

/** Hears of runs starting and finishing; returns the function that stops. */
export function watchRuns(listener: WatchListener): () => void {
  watchers.add(listener);
  if (watchers.size === 1) send({ type: 'watch_runs' });
  connect();
  return () => void watchers.delete(listener);
}

export function onConnection(listener: (connected: boolean) => void): () => void {
  statusListeners.add(listener);
  return () => void statusListeners.delete(listener);
}

/** Drops the socket (after the token changed); the next subscription opens a new one. */
export function resetSocket(): void {
  const ws = socket;
  socket = undefined;
  ws?.close();
}
