/**
 * Run execution through the gateway: the threat scan gate and the operator caps refuse documents before a run
 * exists (422, with the findings as diagnostics, like `maml run` and `maml_run`), and a cancel kills the running block's processes and
 * records `cancelled` the same way in the API, the database, the event stream and the metrics.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { compileRunLimits } from '../../src/runtime/index.js';
import { processesWith, sleepMarker, untilProcessWith } from '../helpers/processes.js';
import { readSse } from './event-clients.js';
import { RISKY, RISKY_FINDING, RISKY_MESSAGE } from '../helpers/risky-document.js';
import { markdown, startGateway, waitForRun, type RunningGateway } from './harness.js';

type Json = Record<string, unknown>;

let gw: RunningGateway;

before(async () => {
  gw = await startGateway({ limits: compileRunLimits({ max_timeout: '1m' }) });
});
after(async () => {
  await gw.gateway.close();
});

const FRONT = `---\nmaml_version: "1.0"\nid: "urn:uuid:0d4c1b7e-2f3a-4b5c-9d6e-7f8091a2b3c4"\ntype: workflow\norigin: "agent://test"\n---\n\n`;

async function runCount(): Promise<number> {
  const rows = await gw.gateway.services.db.query('SELECT count(*)::int AS n FROM maml.runs', []);
  return Number(rows.rows[0]?.['n']);
}

test('a document the threat scan flags is refused with 422 and its findings; no run exists', async () => {
  const before = await runCount();
  const res = await gw.json<{ error: { code: string; message: string; details: { diagnostics: Json[] } } }>(
    '/v1/runs',
    markdown(RISKY),
  );
  assert.equal(res.status, 422);
  assert.equal(res.body.error.code, 'invalid_document');
  assert.match(res.body.error.message, RISKY_MESSAGE);
  const diagnostics = res.body.error.details.diagnostics;
  assert.ok(diagnostics.length > 0);
  assert.ok(diagnostics.every((d) => d['source'] === 'scan' && typeof d['line'] === 'number'));
  assert.ok(
    diagnostics.some(
      (d) =>
        d['code'] === RISKY_FINDING.code && d['line'] === RISKY_FINDING.line && d['column'] === RISKY_FINDING.column,
    ),
  );
  assert.equal(await runCount(), before);
});

test('a block asking for more than the operator allows is refused with 422 at its line', async () => {
  const doc = `${FRONT}## Intent\n\nWait long.\n\n## Code_Blocks\n\n\`\`\`bash {#wait timeout=5m}\nsleep 1\n\`\`\`\n`;
  const res = await gw.json<{ error: { code: string; message: string; details: { diagnostics: Json[] } } }>(
    '/v1/runs',
    markdown(doc),
  );
  assert.equal(res.status, 422);
  assert.equal(res.body.error.code, 'invalid_document');
  assert.match(res.body.error.message, /timeout=5m is longer than the 1m this gateway allows/);
  assert.deepEqual(
    res.body.error.details.diagnostics.map((d) => [d['code'], d['line']]),
    [['limit_exceeded', 14]],
  );
});

test('cancel kills the running block and records `cancelled` in the API, the database, the events and the metrics', async () => {
  const marker = sleepMarker();
  const doc =
    `${FRONT}## Intent\n\nWait, then finish.\n\n## Code_Blocks\n\n` +
    `\`\`\`bash {#wait}\nsleep ${marker}\nmaml_output waited true\n\`\`\`\n\n` +
    '```bash {#after needs=wait}\nmaml_output done true\n```\n';
  const submitted = await gw.json<Json>('/v1/runs', markdown(doc));
  assert.equal(submitted.status, 202);
  const id = submitted.body['id'] as string;
  await untilProcessWith(marker);
  const cancel = await gw.json<Json>(`/v1/runs/${id}/cancel`, { method: 'POST' });
  assert.equal(cancel.status, 202);
  const run = await waitForRun(gw, id);
  assert.deepEqual(processesWith(marker), [], 'the block was killed, not left to finish');
  assert.equal(run['status'], 'cancelled');
  assert.deepEqual((run['blocks'] as { id: string; status: string }[]).map((b) => [b.id, b.status]).sort(), [
    ['after', 'skipped'],
    ['wait', 'cancelled'],
  ]);
  assert.deepEqual(run['tickets'], [], 'no ticket for the killed block');
  const stored = await gw.gateway.services.store.getRun(id);
  assert.equal(stored?.run.status, 'cancelled');
  const events = await readSse(await gw.request(`/v1/runs/${id}/events`));
  assert.deepEqual(
    events.filter((e) => e.type.startsWith('block_') && e.type !== 'block_started').map((e) => [e.type, e.blockId]),
    [
      ['block_skipped', 'after'],
      ['block_cancelled', 'wait'],
    ],
  );
  assert.equal(events.filter((e) => e.type === 'run_finished').length, 1);
  assert.equal(events.at(-1)?.data['status'], 'cancelled');
  const metrics = await (await gw.request('/metrics')).text();
  assert.match(metrics, /^maml_runs_total\{status="cancelled"\} 1$/m);
  assert.doesNotMatch(metrics, /^maml_runs_total\{status="(failed|error)"\}/m);
  assert.equal((await gw.json(`/v1/runs/${id}/cancel`, { method: 'POST' })).status, 409);
});
