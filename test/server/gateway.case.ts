/**
 * The gateway's HTTP, SSE and WebSocket behaviour end to end over loopback, run once per database
 * (gateway-pglite.test.ts, gateway-postgres.test.ts): submit a workflow, stream its events both ways, fetch the
 * run, and check every ticket's ML-DSA signature, code hash and RFC 9162 inclusion proof, and the signed checkpoint.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  fromBase64,
  hashLeaf,
  isMlDsaAlg,
  openNote,
  parseCheckpoint,
  parseVerifierKey,
  utf8ToBytes,
  verifyInclusion,
  verifyTicket,
  type KnownKey,
} from '../../src/crypto/index.js';
import { parse } from '../../src/format/index.js';
import { ROUTES } from '../../src/server/index.js';
import { VALIDATE_BODY_SCHEMA } from '../../src/server/document-body.js';
import type { TestDatabase } from './databases.js';
import { openSocket, readSse, socketEvents } from './event-clients.js';
import {
  SLOW_WORKFLOW,
  WORKFLOW,
  jsonBody,
  markdown,
  startGateway,
  waitForRun,
  type RunningGateway,
} from './harness.js';

type Json = Record<string, unknown>;

export function runGatewaySuite(label: string, database: () => Promise<TestDatabase | string>): void {
  let gw: RunningGateway | undefined;
  let db: TestDatabase | undefined;
  let skip: string | undefined;

  before(async () => {
    const got = await database();
    if (typeof got === 'string') {
      skip = got;
      return;
    }
    db = got;
    gw = await startGateway(db.url ? { databaseUrl: db.url } : {});
  });
  after(async () => {
    await gw?.gateway.close();
    await db?.drop();
  });
  const it = (name: string, fn: (gw: RunningGateway) => Promise<void>): void => {
    test(`${label}: ${name}`, async (t) => {
      if (skip !== undefined) return t.skip(skip);
      await fn(gw as RunningGateway);
    });
  };

  it('a submitted workflow streams over SSE and WebSocket, finishes, and every block has a verifiable ticket', async (gw) => {
    const submitted = await gw.json<Json>('/v1/runs', markdown(WORKFLOW));
    assert.equal(submitted.status, 202);
    const id = submitted.body['id'] as string;
    assert.equal(submitted.res.headers.get('location'), `/v1/runs/${id}`);
    const ws = await openSocket(gw.url);
    const [sse, viaSocket] = await Promise.all([
      gw.request(`/v1/runs/${id}/events`).then(async (res) => {
        assert.equal(res.status, 200);
        assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
        return readSse(res);
      }),
      socketEvents(ws, id),
    ]);
    ws.close();
    // Both transports deliver the same complete, gap-free sequence.
    assert.deepEqual(
      sse.map((e) => e.seq),
      sse.map((_e, i) => i + 1),
    );
    assert.deepEqual(
      viaSocket.events.map((e) => [e.seq, e.type]),
      sse.map((e) => [e.seq, e.type]),
    );
    assert.equal(sse[0]?.type, 'run_started');
    assert.equal(sse.at(-1)?.type, 'run_finished');
    assert.equal(sse.filter((e) => e.type === 'block_succeeded').length, 3);
    assert.equal(sse.filter((e) => e.type === 'ticket_issued').length, 3);

    const run = await gw.json<Json>(`/v1/runs/${id}`);
    assert.equal(run.status, 200);
    assert.equal(run.body['status'], 'succeeded', JSON.stringify(run.body['error']));
    const outputs = run.body['outputs'] as { counts: Record<string, number>; greeting: string; sum: number };
    // A Bell pair only ever measures 00 or 11.
    assert.deepEqual(
      Object.keys(outputs.counts)
        .sort()
        .filter((k) => k !== '00' && k !== '11'),
      [],
    );
    assert.equal(
      Object.values(outputs.counts).reduce((a, b) => a + b, 0),
      200,
    );
    assert.equal(outputs.greeting, 'hello');
    assert.equal(outputs.sum, 42);

    const audit = await gw.json<Json>('/v1/audit/checkpoint');
    const keys = new Map<string, KnownKey>();
    for (const k of audit.body['ticketKeys'] as { keyId: string; alg: string; publicKey: string }[])
      if (isMlDsaAlg(k.alg))
        keys.set(k.keyId, { alg: k.alg, publicKey: fromBase64(k.publicKey) as Uint8Array, trusted: true });
    const sources = new Map(parse(WORKFLOW).blocks.map((b) => [b.id, b.code]));
    const tickets = run.body['tickets'] as { id: string; blockId: string }[];
    assert.deepEqual(tickets.map((t) => t.blockId).sort(), ['bell', 'greet', 'sum']);
    for (const { id: ticketId, blockId } of tickets) {
      const { status, body } = await gw.json<Json>(`/v1/tickets/${ticketId}`);
      assert.equal(status, 200);
      const compact = body['compact'] as string;
      const verdict = verifyTicket(compact, { keys: (k) => keys.get(k), blockSource: sources.get(blockId) as string });
      assert.ok(verdict.ok, JSON.stringify(verdict.failures));
      assert.equal(verdict.ticket?.runId, id);
      assert.equal(verdict.ticket?.blockId, blockId);
      const root = fromBase64(body['rootHash'] as string) as Uint8Array;
      const proof = (body['inclusionProof'] as string[]).map((h) => fromBase64(h) as Uint8Array);
      const leaf = hashLeaf(utf8ToBytes(compact));
      assert.ok(verifyInclusion(leaf, body['logIndex'] as number, body['treeSize'] as number, proof, root));
      // The same proof must fail for another leaf.
      assert.equal(
        verifyInclusion(
          hashLeaf(utf8ToBytes(`${compact}x`)),
          body['logIndex'] as number,
          body['treeSize'] as number,
          proof,
          root,
        ),
        false,
      );
      const verifier = parseVerifierKey(body['checkpointKey'] as string);
      assert.ok(verifier);
      const opened = openNote(body['checkpoint'] as string, [verifier]);
      assert.ok(opened.ok);
      const cp = parseCheckpoint(opened.text);
      assert.equal(cp?.size, body['treeSize']);
      assert.deepEqual(cp?.rootHash, root);
    }
    // The run's signed record is an audit-log entry too, served at its index like a ticket.
    const recorded = sse.find((e) => e.type === 'record_issued') as { data?: { logIndex?: number } } | undefined;
    const recordIndex = recorded?.data?.logIndex;
    assert.equal(typeof recordIndex, 'number');
    const record = await gw.json<Json>(`/v1/tickets/${String(recordIndex)}`);
    assert.equal(record.status, 200);
    assert.equal(record.body['kind'], 'run_record');
    assert.equal(record.body['runId'], id);
    assert.equal(record.body['blockId'], null);
    assert.equal((record.body['record'] as Json | null)?.['runId'], id);
    const recordProof = (record.body['inclusionProof'] as string[]).map((h) => fromBase64(h) as Uint8Array);
    assert.ok(
      verifyInclusion(
        hashLeaf(utf8ToBytes(record.body['compact'] as string)),
        recordIndex as number,
        record.body['treeSize'] as number,
        recordProof,
        fromBase64(record.body['rootHash'] as string) as Uint8Array,
      ),
    );
  });

  it('validate takes Markdown or JSON and reports diagnostics with places; unknown JSON keys are refused', async (gw) => {
    const ok = await gw.json<Json>('/v1/validate', markdown(WORKFLOW));
    assert.equal(ok.status, 200);
    assert.equal(ok.body['ok'], true);
    const bad = await gw.json<Json>(
      '/v1/validate',
      jsonBody({ document: '---\nmaml_version: 1\n---\n', profile: 'strict' }),
    );
    assert.equal(bad.status, 200);
    assert.equal(bad.body['ok'], false);
    const diagnostics = bad.body['diagnostics'] as { code: string; line: number; column: number }[];
    assert.ok(
      diagnostics.length > 0 && diagnostics.every((d) => d.line >= 1 && d.column >= 1 && typeof d.code === 'string'),
    );
    const extra = await gw.json<Json>('/v1/validate', jsonBody({ document: WORKFLOW, surprise: 1 }));
    assert.equal(extra.status, 400);
    assert.equal((extra.body['error'] as Json)['code'], 'usage');
  });

  it('client faults are 4xx JSON errors with stable codes, and responses carry security headers', async (gw) => {
    const cases: [string, RequestInit | undefined, number, string][] = [
      [
        '/v1/runs',
        markdown('---\nmaml_version: "1.0"\n---\n\n```python {#a needs=missing}\nx\n```\n'),
        422,
        'invalid_document',
      ],
      [
        '/v1/runs',
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"document":' },
        400,
        'usage',
      ],
      [
        '/v1/runs',
        { method: 'POST', headers: { 'content-type': 'image/png' }, body: 'x' },
        415,
        'unsupported_media_type',
      ],
      ['/v1/runs', markdown('x'.repeat(5 * 1024 * 1024)), 413, 'too_large'],
      ['/v1/runs/00000000-0000-4000-8000-000000000000', undefined, 404, 'not_found'],
      ['/v1/runs/not*an*id', undefined, 400, 'usage'],
      ['/v1/tickets/999999', undefined, 404, 'not_found'],
      ['/v1/tickets/-1', undefined, 400, 'usage'],
      ['/v1/nothing-here', undefined, 404, 'not_found'],
    ];
    for (const [path, init, status, code] of cases) {
      const res = await gw.json<Json>(path, init);
      assert.equal(res.status, status, `${path}: ${JSON.stringify(res.body)}`);
      assert.equal((res.body['error'] as Json)['code'], code, path);
      assert.equal(typeof (res.body['error'] as Json)['message'], 'string');
      assert.equal(res.res.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(res.res.headers.get('x-frame-options'), 'DENY');
    }
  });

  it('inputs that violate ## Input_Schema are refused before the run exists', async (gw) => {
    const doc = WORKFLOW.replace(
      '## Code_Blocks',
      '## Input_Schema\n\n```json\n{"type":"object","properties":{"n":{"type":"integer"}},"required":["n"]}\n```\n\n## Code_Blocks',
    );
    const res = await gw.json<Json>('/v1/runs', jsonBody({ document: doc, inputs: { n: 'three' } }));
    assert.equal(res.status, 400);
    assert.match(String((res.body['error'] as Json)['message']), /Input_Schema/);
  });

  it('a cancelled run skips the blocks it had not started and ends cancelled; a second cancel is a conflict', async (gw) => {
    const { body } = await gw.json<Json>('/v1/runs', markdown(SLOW_WORKFLOW));
    const id = body['id'] as string;
    const cancel = await gw.json<Json>(`/v1/runs/${id}/cancel`, { method: 'POST' });
    assert.equal(cancel.status, 202);
    const run = await waitForRun(gw, id);
    assert.equal(run['status'], 'cancelled');
    const blocks = run['blocks'] as { id: string; status: string }[];
    assert.equal(blocks.find((b) => b.id === 'after')?.status, 'skipped');
    const again = await gw.json<Json>(`/v1/runs/${id}/cancel`, { method: 'POST' });
    assert.equal(again.status, 409);
  });

  it('metrics, health, readiness and the OpenAPI document', async (gw) => {
    const metrics = await (await gw.request('/metrics')).text();
    for (const pattern of [
      /^maml_http_request_duration_seconds_bucket\{[^}]*route="\/v1\/runs"/m,
      /^maml_runs_total\{status="succeeded"\} [1-9]/m,
      /^maml_runs_total\{status="cancelled"\} 1/m,
      /^maml_block_duration_seconds_bucket\{[^}]*executor="qasm",head="quantum-1"/m,
      /^maml_head_up\{head="quantum-1",class="quantum"\} 1/m,
      /^maml_queue_depth 0/m,
      /^maml_tickets_issued_total [1-9]/m,
      /^# TYPE maml_sandbox_kills_total counter/m,
      /^maml_runs_in_flight 0/m,
    ])
      assert.match(metrics, pattern);
    assert.equal((await gw.json('/healthz')).status, 200);
    const ready = await gw.json<Json>('/readyz');
    assert.equal(ready.status, 200);
    const openapi = (await gw.json<Json>('/openapi.json')).body as {
      openapi: string;
      paths: Record<string, Record<string, Json>>;
    };
    assert.equal(openapi.openapi, '3.1.0');
    for (const route of ROUTES)
      assert.ok(openapi.paths[route.url.replace(/:(\w+)/g, '{$1}')]?.[route.method.toLowerCase()], route.url);
    // The documented request body is the schema Fastify validates with.
    const content = (
      openapi.paths['/v1/validate']?.['post']?.['requestBody'] as { content: Record<string, { schema: unknown }> }
    ).content;
    assert.deepEqual(content['application/json']?.schema, VALIDATE_BODY_SCHEMA.anyOf[1]);
    assert.deepEqual(content['text/markdown']?.schema, VALIDATE_BODY_SCHEMA.anyOf[0]);
  });
}
