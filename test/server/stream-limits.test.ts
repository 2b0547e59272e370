/**
 * Event streams are bounded: WebSocket messages by size and rate, subscriptions per socket, and open streams
 * (SSE responses and WebSockets together) per subject. Each limit answers with an error that says what it is.
 * The runs are recorded as started and never finish, so their streams stay open for as long as a test needs.
 */
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { openServices, type GatewayServices } from '../../src/server/index.js';
import { openSocket } from './event-clients.js';
import { errorOf, rawRequest, startGateway, type RunningGateway } from './harness.js';

type Message = { type: string; runId?: string; error?: { code: string; message: string } };

let services: GatewayServices;
let gw: RunningGateway;
const runs: string[] = [];

before(async () => {
  services = await openServices({ heads: [] });
  gw = await startGateway({ services, maxStreamsPerSubject: 2, maxSubscriptionsPerSocket: 2, shutdownGraceMs: 0 });
  for (let i = 0; i < 3; i++) {
    const id = randomUUID();
    await services.store.createRun({ id, identity: 'agent://local', inputs: {} });
    runs.push(id);
  }
});
after(async () => {
  await gw.gateway.close();
  await services.close(0);
});

const closed = (ws: WebSocket): Promise<{ code: number; reason: string }> =>
  new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));

/** Messages received until `stop` says enough. */
function collect(ws: WebSocket, stop: (m: Message, all: Message[]) => boolean): Promise<Message[]> {
  const all: Message[] = [];
  return new Promise((resolve) => {
    const on = (raw: WebSocket.RawData): void => {
      const m = JSON.parse(raw.toString()) as Message;
      all.push(m);
      if (stop(m, all)) {
        ws.off('message', on);
        resolve(all);
      }
    };
    ws.on('message', on);
  });
}

test('a WebSocket message over 4 KiB closes the socket (1009)', async () => {
  const ws = await openSocket(gw.url);
  const done = closed(ws);
  ws.send(JSON.stringify({ type: 'subscribe', runId: 'x'.repeat(5000) }));
  assert.equal((await done).code, 1009);
});

test('a socket that sends messages faster than its rate is closed (1008) after an error saying so', async () => {
  const ws = await openSocket(gw.url);
  const done = closed(ws);
  const errors = collect(ws, (m) => m.error?.code === 'rate_limited');
  for (let i = 0; i < 200; i++) ws.send(JSON.stringify({ type: 'unsubscribe', runId: runs[0] }));
  assert.match((await errors).at(-1)?.error?.message ?? '', /messages per second/);
  assert.equal((await done).code, 1008);
});

test('subscriptions per socket are bounded', async () => {
  const ws = await openSocket(gw.url);
  try {
    const answers = collect(
      ws,
      (_m, all) => all.filter((a) => a.type === 'subscribed' || a.type === 'error').length === 3,
    );
    for (const runId of runs) ws.send(JSON.stringify({ type: 'subscribe', runId }));
    const settled = (await answers).filter((a) => a.type === 'subscribed' || a.type === 'error');
    assert.equal(settled.filter((a) => a.type === 'subscribed').length, 2);
    const refused = settled.find((a) => a.type === 'error');
    assert.equal(refused?.error?.code, 'rate_limited');
    assert.match(refused?.error?.message ?? '', /subscribed to 2 runs/);
  } finally {
    ws.close();
    await closed(ws);
  }
});

test('one subject holds at most its share of event streams, SSE and WebSocket together', async () => {
  const first = await openSocket(gw.url);
  const second = await openSocket(gw.url);
  try {
    // The third socket opens, is told why, and is closed (listening from the start: the message may come at once).
    const third = new WebSocket(`${gw.url.replace(/^http/, 'ws')}/v1/ws`);
    const message = collect(third, () => true);
    const done = closed(third);
    const [told] = await message;
    assert.equal(told?.error?.code, 'rate_limited');
    assert.match(told?.error?.message ?? '', /2 event streams open/);
    assert.equal((await done).code, 4429);
    const sse = await rawRequest(gw.url, `/v1/runs/${runs[0]}/events`);
    assert.equal(sse.status, 429, sse.text);
    assert.equal(errorOf(sse.json).code, 'rate_limited');
    assert.ok(Number(sse.headers['retry-after']) >= 1);
  } finally {
    first.close();
    second.close();
    await Promise.all([closed(first), closed(second)]);
  }
  // With the sockets closed, a stream may open again (the server sees the close a moment later: polled).
  for (;;) {
    const ac = new AbortController();
    const res = await fetch(`${gw.url}/v1/runs/${runs[0]}/events`, { signal: ac.signal });
    ac.abort();
    if (res.status === 200) break;
    await new Promise((r) => setTimeout(r, 20));
  }
});
