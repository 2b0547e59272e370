/**
 * Under load every request gets an answer: a flood of run submissions beyond the rate limit and the admission
 * limit (`maxRuns`) is answered 202, or 429/503 with Retry-After and an error body, never a dropped connection;
 * connections beyond `maxConnections` are answered 503 too; slow clients are timed out (408) instead of holding
 * a connection. No assertion depends on timing: the runs sleep for seconds, far longer than the flood takes.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { openServices, type GatewayServices } from '../../src/server/index.js';
import { SLOW_WORKFLOW, errorOf, rawRequest, startGateway } from './harness.js';

let services: GatewayServices;

before(async () => {
  services = await openServices({ heads: [{ headClass: 'ai', count: 1 }], maxRuns: 5 });
});
after(async () => {
  await services.close(0);
});

const FLOOD = 300;

test(`${FLOOD} concurrent submissions each get 202, or 429/503 with Retry-After`, async () => {
  // Bursts of 250 and one more token a second: more than 250 requests meet the rate limit.
  const gw = await startGateway({ services, rateLimit: { perSecond: 1, burst: 250 }, shutdownGraceMs: 0 });
  try {
    const scrape = async (): Promise<{ refused: number; finished: number }> => {
      const text = await (await gw.request('/metrics')).text();
      const finished = [...text.matchAll(/^maml_runs_total\{[^}]*\} (\d+)/gm)].reduce((n, m) => n + Number(m[1]), 0);
      return { refused: Number(/^maml_runs_refused_total (\d+)/m.exec(text)?.[1]), finished };
    };
    const before = await scrape();
    const answers = await Promise.all(
      Array.from({ length: FLOOD }, async () => {
        const res = await fetch(`${gw.url}/v1/runs`, {
          method: 'POST',
          headers: { 'content-type': 'text/markdown' },
          body: SLOW_WORKFLOW,
        });
        return {
          status: res.status,
          retryAfter: res.headers.get('retry-after'),
          body: (await res.json()) as Record<string, unknown>,
        };
      }),
    );
    const count = (status: number): number => answers.filter((a) => a.status === status).length;
    for (const a of answers) {
      assert.ok([202, 429, 503].includes(a.status), `unexpected ${a.status}: ${JSON.stringify(a.body)}`);
      if (a.status === 202) {
        assert.equal(typeof a.body['id'], 'string');
        continue;
      }
      assert.match(String(a.retryAfter), /^[1-9][0-9]*$/, `${a.status} without Retry-After`);
      const error = errorOf(a.body);
      assert.equal(error.code, a.status === 429 ? 'rate_limited' : 'unavailable');
      assert.match(error.message, /retry|again/);
      if (a.status === 503) assert.match(error.message, /--max-runs 5/);
    }
    assert.equal(count(202) + count(429) + count(503), FLOOD);
    assert.ok(count(429) >= 1, 'some requests met the rate limit');
    assert.ok(count(503) >= 1, 'some submissions met the admission limit');
    const now = await scrape();
    assert.equal(now.refused - before.refused, count(503));
    // At most 5 runs at once: more were accepted only as earlier ones finished.
    assert.ok(count(202) >= 1 && count(202) <= 5 + now.finished - before.finished, `202: ${count(202)}`);
    assert.match(await (await gw.request('/metrics')).text(), /^maml_runs_admitted_max 5$/m);
  } finally {
    await gw.gateway.close();
  }
});

test('connections beyond maxConnections are answered 503 with Retry-After, not dropped', async () => {
  const gw = await startGateway({ services, maxConnections: 3 });
  const agent = new Agent({ keepAlive: true, maxSockets: 3 });
  try {
    const get = (): Promise<number> =>
      new Promise((resolve, reject) => {
        const url = new URL(`${gw.url}/healthz`);
        httpRequest({ host: url.hostname, port: url.port, path: url.pathname, agent }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        })
          .on('error', reject)
          .end();
      });
    // Three connections kept open (keep-alive) by three requests at once.
    assert.deepEqual(await Promise.all([get(), get(), get()]), [200, 200, 200]);
    const over = await rawRequest(gw.url, '/healthz');
    assert.equal(over.status, 503, over.text);
    assert.equal(over.headers['retry-after'], '1');
    assert.equal(over.headers['connection'], 'close');
    assert.equal(errorOf(over.json).code, 'unavailable');
    assert.match(errorOf(over.json).message, /3 connections open.*--max-connections/);
    agent.destroy();
    // Once they close, new connections are served (polled: the server sees the close a moment later).
    for (;;) {
      const res = await rawRequest(gw.url, '/healthz');
      if (res.status === 200) break;
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    agent.destroy();
    await gw.gateway.close();
  }
});

/** Sends `data` on a raw connection and resolves with everything the server sent once it closes. */
function stall(url: string, data: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(data));
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(received));
  });
}

test('a client that stalls in its headers or its body is answered 408 and disconnected', async () => {
  const gw = await startGateway({ services, timeouts: { headersMs: 300, requestMs: 600 } });
  try {
    const headers = await stall(
      gw.url,
      'POST /v1/validate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/markdown\r\n',
    );
    assert.match(headers, /^HTTP\/1\.1 408/);
    const body = await stall(
      gw.url,
      'POST /v1/validate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/markdown\r\nContent-Length: 1000\r\n\r\n# only part',
    );
    assert.match(body, /^HTTP\/1\.1 408/);
  } finally {
    await gw.gateway.close();
  }
});
