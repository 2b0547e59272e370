/**
 * GET /v1/runs: newest first, cursor paging that neither repeats nor skips a run while runs are added, the
 * filters (status with `cancelled` told apart from `failed`, identity, document words, start time), privacy (a
 * subject lists its own runs; `maml:admin` lists all), refusals of malformed queries with 400 and a message; the
 * dashboard's `watch_runs` WebSocket feed, GET /v1/runs/:id/document and GET /v1/heads.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '../../src/format/index.js';
import { jwtVerifier } from '../../src/server/auth/jwt-verifier.js';
import { openSocket } from './event-clients.js';
import { startIssuer, type Issuer } from './jwks-server.js';
import { ONE_BLOCK, markdown, startGateway, waitForRun, type RunningGateway } from './harness.js';

type Json = Record<string, unknown>;
interface Summary {
  id: string;
  status: string;
  identity: string;
  documentId: string | null;
  title: string | null;
  startedAt: string;
  durationMs: number | null;
}
interface Page {
  runs: Summary[];
  next: string | null;
}

let issuer: Issuer;
let gw: RunningGateway;
const tokens: Record<'alice' | 'bob' | 'admin', string> = { alice: '', bob: '', admin: '' };
const ALICE = 'agent://lab/alice';
const BOB = 'agent://lab/bob';
/** Alice's seeded runs, newest first, with their statuses. */
const aliceRuns: { id: string; status: string }[] = [];

const doc = (title: string, id: string): string =>
  `---\nmaml_version: "1.0"\nid: "${id}"\ntype: workflow\norigin: "agent://test"\ntitle: "${title}"\n---\n\n## Intent\n\nSeeded.\n`;

async function seed(identity: string, n: number, title: (i: number) => string): Promise<void> {
  const { store, documents } = gw.gateway.services;
  for (let i = 0; i < n; i++) {
    const id = `00000000-0000-4000-8000-${String(identity === ALICE ? i : 1000 + i).padStart(12, '0')}`;
    const documentId = `urn:uuid:11111111-0000-4000-8000-${String(i).padStart(12, '0')}`;
    await store.createRun({ id, identity, inputs: {}, documentId });
    const kind = i % 4;
    const status = kind === 0 ? 'running' : kind === 1 ? 'succeeded' : kind === 2 ? 'failed' : 'cancelled';
    if (status === 'succeeded') await store.finishRun(id, 'succeeded', {}, null);
    if (status === 'failed') await store.finishRun(id, 'failed', null, { code: 'block_failed', message: 'x' });
    if (status === 'cancelled') await store.finishRun(id, 'failed', null, { code: 'cancelled', message: 'stop' });
    await documents.save(id, parse(doc(title(i), documentId)), identity);
    if (identity === ALICE) aliceRuns.unshift({ id, status });
  }
}

before(async () => {
  issuer = await startIssuer();
  const verify = await jwtVerifier({ jwks: issuer.jwksUrl, issuer: issuer.issuer, audience: issuer.audience });
  gw = await startGateway({ auth: { mode: 'jwt', verify }, rateLimit: false });
  tokens.alice = await issuer.token({ sub: ALICE, scope: 'maml:read maml:run maml:validate' });
  tokens.bob = await issuer.token({ sub: BOB, scope: 'maml:read maml:run' });
  tokens.admin = await issuer.token({ sub: 'agent://ops', scope: 'maml:admin' });
  await seed(ALICE, 23, (i) => (i % 3 === 0 ? `Bell pair ${i}` : `Fraud check ${i}`));
  await seed(BOB, 5, (i) => `Bob's job ${i}`);
});
after(async () => {
  await gw.gateway.close();
  await issuer.close();
});

const as = (who: keyof typeof tokens) => ({ headers: { authorization: `Bearer ${tokens[who]}` } });
const list = (query: string, who: keyof typeof tokens = 'alice') =>
  gw.json<Page & { error: { code: string; message: string } }>(`/v1/runs${query}`, as(who));

async function all(query: string, who: keyof typeof tokens = 'alice'): Promise<Summary[]> {
  const seen: Summary[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 100; pages++) {
    const sep = query ? '&' : '?';
    const res = await list(`${query}${cursor ? `${sep}cursor=${cursor}` : ''}`, who);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    seen.push(...res.body.runs);
    cursor = res.body.next;
    if (cursor === null) return seen;
  }
  throw new Error('paging did not end');
}

test('pages of 5 walk every run of the subject once, newest first, and nothing of another subject', async () => {
  const first = await list('?limit=5');
  assert.equal(first.body.runs.length, 5);
  assert.notEqual(first.body.next, null);
  const runs = await all('?limit=5');
  assert.deepEqual(
    runs.map((r) => r.id),
    aliceRuns.map((r) => r.id),
  );
  assert.ok(runs.every((r) => r.identity === ALICE));
  assert.deepEqual(
    runs.map((r) => r.status),
    aliceRuns.map((r) => r.status),
  );
  const sorted = [...runs].sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt));
  assert.deepEqual(sorted, runs);
  assert.equal(runs.find((r) => r.status === 'running')?.durationMs, null);
  assert.ok(runs.filter((r) => r.status !== 'running').every((r) => typeof r.durationMs === 'number'));
});

test('runs added while paging neither repeat nor shift the pages already handed out', async () => {
  const first = await list('?limit=4');
  const { store } = gw.gateway.services;
  const fresh = '00000000-0000-4000-8000-999999999999';
  await store.createRun({ id: fresh, identity: ALICE, inputs: {} });
  let cursor = first.body.next;
  const rest: string[] = [];
  while (cursor) {
    const page = await list(`?limit=4&cursor=${cursor}`);
    rest.push(...page.body.runs.map((r) => r.id));
    cursor = page.body.next;
  }
  assert.deepEqual(
    [...first.body.runs.map((r) => r.id), ...rest],
    aliceRuns.map((r) => r.id),
  );
  const newest = await list('?limit=1');
  assert.equal(newest.body.runs[0]?.id, fresh);
  await gw.gateway.services.db.query('DELETE FROM maml.runs WHERE id = $1', [fresh]);
});

test('filters: status (cancelled apart from failed), document words, identity, start time', async () => {
  for (const status of ['running', 'succeeded', 'failed', 'cancelled']) {
    const runs = await all(`?status=${status}&limit=3`);
    assert.deepEqual(
      runs.map((r) => r.id),
      aliceRuns.filter((r) => r.status === status).map((r) => r.id),
      status,
    );
  }
  const bell = await all('?document=bell%20PAIR');
  assert.equal(bell.length, 8);
  assert.ok(bell.every((r) => r.title?.startsWith('Bell pair')));
  const byUrn = await all('?document=000000000007');
  assert.deepEqual(
    byUrn.map((r) => r.title),
    ['Fraud check 7'],
  );
  const middle = aliceRuns[10] as { id: string };
  const all23 = await all('');
  const at = all23.find((r) => r.id === middle.id)?.startedAt as string;
  const since = await all(`?since=${encodeURIComponent(at)}`);
  assert.ok(since.length >= 11 && since.every((r) => Date.parse(r.startedAt) >= Date.parse(at)));
  const until = await all(`?until=${encodeURIComponent(at)}`);
  assert.equal(since.length + until.length, 23);
  // Literal LIKE characters are not wildcards.
  assert.equal((await all('?document=%25')).length, 0);
  assert.equal((await all('?document=_')).length, 0);
});

test('a subject lists only its own runs; an admin lists all and may filter by identity', async () => {
  const bob = await all('', 'bob');
  assert.equal(bob.length, 5);
  assert.ok(bob.every((r) => r.identity === BOB));
  assert.equal((await all(`?identity=${encodeURIComponent(BOB)}`, 'alice')).length, 0);
  const everyone = await all('?limit=100', 'admin');
  assert.equal(everyone.length, 28);
  assert.equal((await all(`?identity=${encodeURIComponent(BOB)}`, 'admin')).length, 5);
  const anonymous = await gw.json('/v1/runs');
  assert.equal(anonymous.status, 401);
});

test('malformed queries are 400 with a message, never 500', async () => {
  const bad = [
    '?limit=0',
    '?limit=1000',
    '?limit=abc',
    '?limit=-1',
    '?status=done',
    '?cursor=not-a-cursor!',
    `?cursor=${Buffer.from('1.zz').toString('base64url')}`,
    `?cursor=${'A'.repeat(300)}`,
    '?since=yesterday',
    '?until=2026-13-45T99:00:00Z',
    `?document=${'x'.repeat(201)}`,
    '?sort=asc',
    `?identity=${'a'.repeat(513)}`,
  ];
  for (const query of bad) {
    const res = await list(query);
    assert.equal(res.status, 400, `${query}: ${JSON.stringify(res.body)}`);
    assert.equal(res.body.error.code, 'usage', query);
    assert.ok(res.body.error.message.length > 0);
  }
});

test('OpenAPI documents GET /v1/runs with its query parameters and answer', async () => {
  const { body } = await gw.json<{ paths: Record<string, Record<string, Json>> }>('/openapi.json');
  const op = body.paths['/v1/runs']?.['get'] as { parameters: { name: string; in: string }[]; responses: Json };
  assert.deepEqual(op.parameters.map((p) => `${p.in}:${p.name}`).sort(), [
    'query:cursor',
    'query:document',
    'query:identity',
    'query:limit',
    'query:since',
    'query:status',
    'query:until',
  ]);
  assert.ok(op.responses['200']);
  assert.ok(body.paths['/v1/runs']?.['post'], 'POST /v1/runs is still documented');
  assert.ok(body.paths['/v1/runs/{id}/document']?.['get']);
  assert.ok(body.paths['/v1/heads']?.['get']);
});

test('watch_runs tells a socket of its own runs starting and finishing, not of others', async () => {
  const ws = await openSocket(gw.url, tokens.bob);
  const seen: Json[] = [];
  ws.on('message', (raw) => seen.push(JSON.parse(raw.toString()) as Json));
  ws.send(JSON.stringify({ type: 'watch_runs' }));
  // Messages are handled in order once the socket's principal is known: the answer to a bad one comes after the
  // watch is registered.
  ws.send(JSON.stringify({ type: 'ping' }));
  for (let i = 0; i < 500 && !seen.some((m) => m['type'] === 'error'); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(seen.some((m) => m['type'] === 'error'));
  const alices = await gw.json<{ id: string }>('/v1/runs', { method: 'POST', ...markdownAs(ONE_BLOCK, 'alice') });
  assert.equal(alices.status, 202);
  const bobs = await gw.json<{ id: string }>('/v1/runs', { method: 'POST', ...markdownAs(ONE_BLOCK, 'bob') });
  assert.equal(bobs.status, 202);
  await waitForRunAs(alices.body.id, 'alice');
  await waitForRunAs(bobs.body.id, 'bob');
  for (let i = 0; i < 100 && seen.filter((m) => m['type'] === 'run').length < 2; i++)
    await new Promise((r) => setTimeout(r, 20));
  ws.close();
  const runs = seen.filter((m) => m['type'] === 'run');
  assert.deepEqual(
    runs.map((m) => [m['runId'], m['status']]),
    [
      [bobs.body.id, 'running'],
      [bobs.body.id, 'succeeded'],
    ],
  );
});

test('GET /v1/runs/:id/document gives the text, blocks, stages and History; GET /v1/heads the pool', async () => {
  const sub = await gw.json<{ id: string }>('/v1/runs', { method: 'POST', ...markdownAs(ONE_BLOCK, 'alice') });
  await waitForRunAs(sub.body.id, 'alice');
  const d = await gw.json<{ text: string; blocks: Json[]; stages: string[][] }>(
    `/v1/runs/${sub.body.id}/document`,
    as('alice'),
  );
  assert.equal(d.status, 200);
  assert.equal(d.body.text, ONE_BLOCK);
  assert.deepEqual(
    d.body.stages,
    parse(ONE_BLOCK)
      .blocks.filter((b) => b.executable)
      .map((b) => [b.id]),
  );
  assert.equal((await gw.json(`/v1/runs/${sub.body.id}/document`, as('bob'))).status, 404);
  const heads = await gw.json<{ heads: Json[]; queued: number; workers: unknown[] }>('/v1/heads', as('alice'));
  assert.equal(heads.status, 200);
  assert.deepEqual(heads.body.heads.map((h) => h['name']).sort(), ['ai-1', 'ai-2', 'quantum-1']);
  for (const h of heads.body.heads) {
    assert.ok(['idle', 'busy', 'starting'].includes(String(h['state'])));
    assert.ok(Date.now() - Date.parse(String(h['lastHeartbeat'])) < 60_000);
  }
  const signed = heads.body.heads.reduce((n, h) => n + Number(h['tickets']), 0);
  const tickets = await gw.gateway.services.db.query('SELECT count(*)::int AS n FROM maml.tickets', []);
  assert.equal(signed, Number(tickets.rows[0]?.['n']));
  assert.ok(signed > 0);
});

function markdownAs(text: string, who: keyof typeof tokens): RequestInit {
  const init = markdown(text);
  return { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${tokens[who]}` } };
}

async function waitForRunAs(id: string, who: keyof typeof tokens): Promise<void> {
  const scoped: RunningGateway = { ...gw, json: (path, init) => gw.json(path, { ...as(who), ...init }) };
  await waitForRun(scoped, id);
}
