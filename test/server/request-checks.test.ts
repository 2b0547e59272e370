/**
 * What every request meets before its route, with `--auth none` and with bearer tokens alike: the Host must name
 * the gateway (DNS rebinding), an Origin must be the gateway's own or an allowed one (cross-site requests,
 * including WebSocket handshakes, SSE and /mcp), the Content-Type must be one the route documents (no CORS-simple
 * request reaches a route that changes state), other methods get 405 with Allow, and 413/415 say what is accepted.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { ROUTES, jwtVerifier, openServices, type GatewayServices } from '../../src/server/index.js';
import { startIssuer, type Issuer } from './jwks-server.js';
import { ONE_BLOCK, errorOf, rawRequest, startGateway, waitForRun, type RunningGateway } from './harness.js';

const RUN_ID = '00000000-0000-4000-8000-000000000000';
const EVIL = 'https://evil.example';
const APP = 'https://app.example.com';

let services: GatewayServices;
let issuer: Issuer;
let open: RunningGateway;
let jwt: RunningGateway;
let configured: RunningGateway;
let token: string;

before(async () => {
  services = await openServices({ heads: [{ headClass: 'quantum', count: 1 }] });
  issuer = await startIssuer();
  token = await issuer.token({ sub: 'agent://lab/alice', scope: 'maml:validate maml:run maml:read' });
  const verify = await jwtVerifier({ jwks: issuer.jwksUrl, issuer: issuer.issuer, audience: issuer.audience });
  open = await startGateway({ services });
  jwt = await startGateway({ services, auth: { mode: 'jwt', verify } });
  configured = await startGateway({ services, allowedHosts: ['gateway.internal'], allowedOrigins: [APP] });
});
after(async () => {
  for (const gw of [open, jwt, configured]) await gw.gateway.close();
  await services.close(0);
  await issuer.close();
});

/** Every route with a concrete path, plus the WebSocket and MCP endpoints. */
const ENDPOINTS: readonly { method: string; path: string }[] = [
  ...ROUTES.map((r) => ({
    method: r.method,
    path: r.url.replace(':id', r.url.startsWith('/v1/tickets') ? '1' : RUN_ID),
  })),
  { method: 'GET', path: '/v1/ws' },
  { method: 'POST', path: '/mcp' },
];

const port = (gw: RunningGateway): string => new URL(gw.url).port;
const bearer = (): Record<string, string> => ({ authorization: `Bearer ${token}` });
const markdownHeaders = { 'content-type': 'text/markdown' };
const runCount = async (): Promise<number> => (await services.store.listRuns(1000)).length;

test('a Host that does not name the gateway is refused on every route, with and without auth', async () => {
  for (const [gw, auth] of [
    [open, {}],
    [jwt, bearer()],
  ] as const)
    for (const { method, path } of ENDPOINTS) {
      const res = await rawRequest(gw.url, path, {
        method,
        headers: { ...auth, host: `evil.example:${port(gw)}`, ...(method === 'POST' ? markdownHeaders : {}) },
        ...(method === 'POST' ? { body: ONE_BLOCK } : {}),
      });
      assert.equal(res.status, 403, `${method} ${path}: ${res.text}`);
      const error = errorOf(res.json);
      assert.equal(error.code, 'permission_denied');
      assert.match(error.message, /--allowed-hosts evil\.example/);
      assert.match(error.message, /127\.0\.0\.1/);
    }
  // User info in Host is not a way around it.
  const sneaky = await rawRequest(open.url, '/healthz', { headers: { host: `127.0.0.1@evil.example:${port(open)}` } });
  assert.equal(sneaky.status, 403);
});

test('the listen address and the loopback names are served; --allowed-hosts adds names', async () => {
  for (const host of [`127.0.0.1:${port(open)}`, `localhost:${port(open)}`, `[::1]:${port(open)}`, 'LOCALHOST'])
    assert.equal((await rawRequest(open.url, '/healthz', { headers: { host } })).status, 200, host);
  assert.equal(
    (await rawRequest(configured.url, '/healthz', { headers: { host: 'gateway.internal:8443' } })).status,
    200,
  );
  assert.equal((await rawRequest(configured.url, '/healthz', { headers: { host: 'evil.example' } })).status, 403);
});

test('a foreign Origin is refused on every route before anything runs, with and without auth', async () => {
  const before = await runCount();
  for (const [gw, auth] of [
    [open, {}],
    [jwt, bearer()],
  ] as const)
    for (const { method, path } of ENDPOINTS) {
      const res = await rawRequest(gw.url, path, {
        method,
        headers: { ...auth, origin: EVIL, ...(method === 'POST' ? markdownHeaders : {}) },
        ...(method === 'POST' ? { body: ONE_BLOCK } : {}),
      });
      assert.equal(res.status, 403, `${method} ${path}: ${res.text}`);
      const error = errorOf(res.json);
      assert.equal(error.code, 'permission_denied');
      assert.match(error.message, /--allowed-origins https:\/\/evil\.example/);
    }
  // The classic cross-site form post of a run: text/plain, foreign Origin, no preflight.
  const form = await rawRequest(open.url, '/v1/runs', {
    method: 'POST',
    headers: { origin: EVIL, 'content-type': 'text/plain' },
    body: ONE_BLOCK,
  });
  assert.equal(form.status, 403);
  assert.equal(await runCount(), before, 'no run was recorded');
});

test('Origin: null is refused, the gateway’s own origin is accepted', async () => {
  const nul = await rawRequest(open.url, '/v1/validate', {
    method: 'POST',
    headers: { origin: 'null', ...markdownHeaders },
    body: ONE_BLOCK,
  });
  assert.equal(nul.status, 403);
  assert.match(errorOf(nul.json).message, /Origin: null/);
  const own = await rawRequest(open.url, '/v1/validate', {
    method: 'POST',
    headers: { origin: `http://127.0.0.1:${port(open)}`, ...markdownHeaders },
    body: ONE_BLOCK,
  });
  assert.equal(own.status, 200, own.text);
  assert.equal(own.headers['access-control-allow-origin'], undefined, 'same-origin needs no CORS headers');
});

test('WebSocket handshakes from a foreign or null Origin are refused; the own origin opens', async () => {
  const handshake = (gw: RunningGateway, origin: string, headers: Record<string, string> = {}): Promise<number> =>
    new Promise((resolve, reject) => {
      const ws = new WebSocket(`${gw.url.replace(/^http/, 'ws')}/v1/ws`, { origin, headers });
      ws.once('open', () => {
        ws.close();
        resolve(101);
      });
      ws.once('unexpected-response', (req, res) => {
        req.destroy();
        resolve(res.statusCode ?? 0);
      });
      ws.once('error', reject);
    });
  // A gateway of its own: closing one drains its services' runs.
  const isolated = await startGateway({ heads: [] });
  try {
    assert.equal(await handshake(isolated, EVIL), 403);
    assert.equal(await handshake(isolated, 'null'), 403);
    // A refused handshake does not leave its socket open on the server (it is not an HTTP connection any more).
    const server = isolated.gateway.app.server;
    const open = (): Promise<number> => new Promise((r) => server.getConnections((_e, n) => r(n)));
    for (let i = 0; i < 250 && (await open()) > 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(await open(), 0, 'sockets of refused handshakes are closed');
  } finally {
    await isolated.gateway.close();
  }
  assert.equal(await handshake(jwt, EVIL, bearer()), 403);
  assert.equal(await handshake(open, `http://127.0.0.1:${port(open)}`), 101);
  assert.equal(await handshake(configured, APP), 101);
});

test('an allowed origin is served with CORS headers, and its preflight says what the path takes', async () => {
  const res = await rawRequest(configured.url, '/v1/runs', {
    method: 'POST',
    headers: { origin: APP, ...markdownHeaders },
    body: ONE_BLOCK,
  });
  assert.equal(res.status, 202, res.text);
  assert.equal(res.headers['access-control-allow-origin'], APP);
  assert.match(String(res.headers['vary']), /Origin/);
  await waitForRun(configured, String(res.json?.['id']));
  const preflight = await rawRequest(configured.url, '/v1/runs', {
    method: 'OPTIONS',
    headers: { origin: APP, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
  });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers['access-control-allow-origin'], APP);
  // /v1/runs takes GET (the run list) and POST (submit).
  assert.equal(preflight.headers['access-control-allow-methods'], 'GET, HEAD, POST');
  assert.match(String(preflight.headers['access-control-allow-headers']), /authorization/);
  const foreign = await rawRequest(configured.url, '/v1/runs', {
    method: 'OPTIONS',
    headers: { origin: EVIL, 'access-control-request-method': 'POST' },
  });
  assert.equal(foreign.status, 403);
  assert.equal(foreign.headers['access-control-allow-origin'], undefined);
});

test('routes that change state refuse every CORS-simple content type; 415 says what the route accepts', async () => {
  const before = await runCount();
  for (const [gw, auth] of [
    [open, {}],
    [jwt, bearer()],
  ] as const) {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const runs = await rawRequest(gw.url, '/v1/runs', {
        method: 'POST',
        headers: { ...auth, 'content-type': type },
        body: ONE_BLOCK,
      });
      assert.equal(runs.status, 415, `${type}: ${runs.text}`);
      assert.equal(errorOf(runs.json).code, 'unsupported_media_type');
      assert.match(errorOf(runs.json).message, /application\/json or text\/markdown/);
      const cancel = await rawRequest(gw.url, `/v1/runs/${RUN_ID}/cancel`, {
        method: 'POST',
        headers: { ...auth, 'content-type': type },
        body: 'x',
      });
      assert.equal(cancel.status, 415, `cancel ${type}: ${cancel.text}`);
      assert.match(errorOf(cancel.json).message, /takes no body/);
      const mcp = await rawRequest(gw.url, '/mcp', {
        method: 'POST',
        headers: { ...auth, 'content-type': type, accept: 'application/json, text/event-stream' },
        body: '{"jsonrpc":"2.0","id":1,"method":"tools/list"}',
      });
      assert.equal(mcp.status, 415, `mcp ${type}: ${mcp.text}`);
      assert.match(errorOf(mcp.json).message, /application\/json/);
    }
    const untyped = await rawRequest(gw.url, '/v1/runs', { method: 'POST', headers: { ...auth }, body: ONE_BLOCK });
    assert.equal(untyped.status, 415);
    assert.match(errorOf(untyped.json).message, /needs a body with Content-Type application\/json or text\/markdown/);
    const latin1 = await rawRequest(gw.url, '/v1/runs', {
      method: 'POST',
      headers: { ...auth, 'content-type': 'text/markdown; charset=iso-8859-1' },
      body: ONE_BLOCK,
    });
    assert.equal(latin1.status, 415);
    assert.match(errorOf(latin1.json).message, /UTF-8/);
  }
  assert.equal(await runCount(), before, 'no run was recorded');
  // Validation changes nothing and documents text/plain; it stays accepted.
  const validate = await rawRequest(open.url, '/v1/validate', {
    method: 'POST',
    headers: { 'content-type': 'text/plain; charset=utf-8' },
    body: ONE_BLOCK,
  });
  assert.equal(validate.status, 200, validate.text);
  // A cancel with no body (or an empty JSON one) is still a cancel request.
  for (const init of [{}, { headers: { 'content-type': 'application/json' }, body: '{}' }]) {
    const res = await rawRequest(open.url, `/v1/runs/${RUN_ID}/cancel`, { method: 'POST', ...init });
    assert.equal(res.status, 404, res.text);
  }
});

test('every path answers other methods 405 with Allow; unknown paths stay 404', async () => {
  const allowed = new Map<string, Set<string>>();
  for (const { method, path } of ENDPOINTS) {
    const set = allowed.get(path) ?? new Set<string>();
    set.add(method);
    if (method === 'GET') set.add('HEAD');
    allowed.set(path, set);
  }
  for (const gw of [open, jwt])
    for (const [path, methods] of allowed) {
      const allow = [...methods].sort().join(', ');
      for (const method of ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'].filter(
        (m) => !methods.has(m),
      )) {
        const res = await rawRequest(gw.url, path, { method });
        assert.equal(res.status, 405, `${method} ${path}: ${res.status} ${res.text}`);
        assert.equal(res.headers['allow'], allow, `${method} ${path}`);
        if (method !== 'HEAD') {
          assert.equal(errorOf(res.json).code, 'method_not_allowed');
          assert.match(errorOf(res.json).message, new RegExp(`takes ${allow}`));
        }
      }
    }
  const missing = await rawRequest(open.url, '/v1/nothing-here', { method: 'DELETE' });
  assert.equal(missing.status, 404);
  assert.equal(missing.headers['allow'], undefined);
});

test('413 says the byte limit, and the schema limit on documents is stated', async () => {
  const limit = 64 * 1024;
  const small = await startGateway({ services, bodyLimit: limit });
  try {
    const res = await rawRequest(small.url, '/v1/validate', {
      method: 'POST',
      headers: markdownHeaders,
      body: 'x'.repeat(limit + 1),
    });
    assert.equal(res.status, 413);
    assert.equal(errorOf(res.json).code, 'too_large');
    assert.match(errorOf(res.json).message, new RegExp(`limit of ${limit} bytes`));
    assert.match(errorOf(res.json).message, /1048576 UTF-16 code units/);
  } finally {
    await small.gateway.close();
  }
});

test('a fault of the gateway answers 500 with a reference, never its own message; the log has it', async () => {
  const logged: string[] = [];
  const store = Object.create(services.store) as GatewayServices['store'];
  store.getRun = () => Promise.reject(new Error('could not open file "/var/lib/maml/db/base/5/16507": EMFILE'));
  const faulty = await startGateway({ services: { ...services, store }, errorLog: (line) => logged.push(line) });
  try {
    const res = await rawRequest(faulty.url, `/v1/runs/${RUN_ID}`);
    assert.equal(res.status, 500);
    const error = errorOf(res.json);
    assert.equal(error.code, 'internal');
    assert.doesNotMatch(res.text, /\/var\/lib|EMFILE|16507|at /);
    const reference = /error ([0-9a-f]{8})/.exec(error.message)?.[1];
    assert.ok(reference, error.message);
    assert.equal(logged.length, 1);
    assert.ok(logged[0]?.includes(reference) && logged[0].includes('/var/lib/maml/db'), logged[0]);
  } finally {
    await faulty.gateway.close();
  }
});
