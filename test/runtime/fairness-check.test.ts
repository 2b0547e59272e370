// The gateway's fairness check in a run: a block marked fairness=predictions is checked against the front
// matter's policy; strict fails the block with the table, warn succeeds with a warning event; the report is in the
// block's outputs and so under its ticket's output hash; reweighing weights reach the training block; outputs
// the check cannot read fail the block naming column and row.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NEEDS_BWRAP, useRuntimeFixture } from '../helpers/runtime-fixture.js';
import { TransparencyLog, fromBase64Url, hashCanonical } from '../../src/crypto/index.js';
import { parse } from '../../src/format/index.js';
import {
  AUDIT_LOG_ORIGIN,
  DatabaseLogStore,
  ephemeralHeadSigners,
  runWorkflow,
  ticketIssuer,
} from '../../src/runtime/index.js';
import type { RunEvent, TicketIssuer } from '../../src/runtime/index.js';

const skip = NEEDS_BWRAP;
const rt = useRuntimeFixture('ai:1');
let tickets: Promise<TicketIssuer> | undefined;
const issuer = (): Promise<TicketIssuer> =>
  (tickets ??= TransparencyLog.open(new DatabaseLogStore(rt.db), AUDIT_LOG_ORIGIN).then((log) =>
    ticketIssuer(rt.db, ephemeralHeadSigners(), log),
  ));

const PREDICTIONS =
  "```javascript {#model fairness=predictions}\nmaml.output('sex', ['F', 'F', 'M', 'M']);\nmaml.output('prediction', [0, 1, 1, 1]);\nmaml.output('label', [0, 1, 1, 0]);\n```\n";

async function run(fairness: string, body: string, cache = false) {
  const doc = parse(
    `---\nmaml_version: "1.0"\nid: "urn:uuid:11111111-2222-4333-8444-555555555519"\ntype: workflow\norigin: "agent://test"\n${fairness}\n---\n\n## Intent\n\nTest.\n\n## Code_Blocks\n\n${body}`,
  );
  const events: RunEvent[] = [];
  const report = await runWorkflow({
    doc,
    pool: rt.pool,
    store: rt.store,
    tickets: await issuer(),
    onEvent: (e) => events.push(e),
    cache,
  });
  return { report, events, checked: events.filter((e) => e.type === 'fairness_checked') };
}

async function ticketOutputHash(runId: string): Promise<string | undefined> {
  const rows = await rt.db.query('SELECT compact FROM maml.tickets WHERE run_id = $1', [runId]);
  const compact = rows.rows[0]?.['compact'];
  if (typeof compact !== 'string') return undefined;
  const payload = fromBase64Url(compact.split('.')[0] ?? '');
  return payload ? (JSON.parse(new TextDecoder().decode(payload)) as { outputHash: string }).outputHash : undefined;
}

test('strict: outside the threshold the block fails with the table, and gets no ticket', { skip }, async () => {
  const { report, checked } = await run(
    'fairness:\n  protected: [sex]\n  unprivileged: [F]\n  threshold: 0.1\n  level: strict',
    PREDICTIONS,
  );
  assert.equal(report.status, 'failed');
  const error = report.blocks[0]?.error;
  assert.match(error?.message ?? '', /statistical_parity_difference = -0\.5 on 4 rows \(sex\), outside the threshold/);
  assert.match(error?.message ?? '', /F\s+unprivileged\s+2\s+0\.5000/);
  assert.equal((error?.details?.['fairness'] as { passed: boolean }).passed, false);
  assert.equal(checked.length, 1);
  assert.equal(await ticketOutputHash(report.runId), undefined);
});

test('warn: the run succeeds, warns, and the report is in the outputs under the ticket', { skip }, async () => {
  const { report, checked } = await run(
    'fairness:\n  protected: sex\n  unprivileged: F\n  metric: disparate_impact\n  level: warn',
    PREDICTIONS,
  );
  assert.equal(report.status, 'succeeded', report.error?.message);
  const outputs = report.blocks[0]?.outputs as Record<string, unknown>;
  const fairness = outputs['fairness_report'] as { metric: string; value: number; passed: boolean; threshold: number };
  assert.deepEqual(
    [fairness.metric, fairness.value, fairness.passed, fairness.threshold],
    ['disparate_impact', 0.5, false, 0.8],
  );
  const event = checked[0];
  assert.ok(event && event.type === 'fairness_checked');
  assert.equal(event.data.passed, false);
  assert.match(event.data.message ?? '', /disparate_impact = 0\.5/);
  assert.equal(await ticketOutputHash(report.runId), hashCanonical(outputs));
});

test('bare fairness: true runs the documented defaults and says so', { skip }, async () => {
  const { report, checked } = await run('fairness: true', PREDICTIONS);
  assert.equal(report.status, 'succeeded');
  const event = checked[0];
  assert.ok(event && event.type === 'fairness_checked');
  assert.equal(event.data.metric, 'demographic_parity_difference');
  assert.equal(event.data.level, 'warn');
  assert.match(event.data.defaults ?? '', /fairness: true uses the defaults protected: \[sex\]/);
});

test('within the threshold: passes quietly; a block without the mark is not checked', { skip }, async () => {
  const fair =
    "```javascript {#model fairness=predictions}\nmaml.output('sex', ['F', 'F', 'M', 'M']);\nmaml.output('prediction', [0, 1, 1, 0]);\n```\n```javascript {#other}\nmaml.output('x', 1);\n```\n";
  const { report, checked } = await run('fairness:\n  unprivileged: [F]\n  level: strict', fair);
  assert.equal(report.status, 'succeeded', report.error?.message);
  assert.equal(checked.length, 1);
  assert.equal(checked[0]?.blockId, 'model');
  assert.equal(report.blocks[1]?.outputs['fairness_report'], undefined);
});

test('reweighing: the training block gets the Kamiran–Calders weights as an input', { skip }, async () => {
  const body =
    "```javascript {#data fairness=training}\nmaml.output('sex', ['F', 'F', 'F', 'M', 'M', 'M']);\nmaml.output('label', ['yes', 'no', 'no', 'yes', 'yes', 'no']);\n```\n" +
    "```javascript {#train needs=data}\nmaml.output('got', maml.inputs.sample_weights);\n```\n";
  const { report } = await run(
    'fairness:\n  unprivileged: [F]\n  favourable: "yes"\n  mitigate: reweighing\n  level: warn',
    body,
  );
  assert.equal(report.status, 'succeeded', report.error?.message);
  // P(F) = ½, P(yes) = ½, P(F, yes) = 1/6 → 1.5; P(F, no) = 1/3 → 0.75; M the mirror image.
  assert.deepEqual(report.outputs['got'], [1.5, 0.75, 0.75, 0.75, 0.75, 1.5]);
});

test('outputs the check cannot read fail the block naming the column and row', { skip }, async () => {
  const cases: [string, RegExp][] = [
    [
      "```javascript {#m fairness=predictions}\nmaml.output('sex', ['F', 'M', 'M']);\nmaml.output('prediction', [1, 0, null]);\n```\n",
      /block m: the fairness check cannot read its outputs: column "prediction", row 3: the cell is empty/,
    ],
    [
      "```javascript {#m fairness=predictions}\nmaml.output('gender', ['F', 'M']);\nmaml.output('prediction', [1, 0]);\n```\n",
      /column "sex": the block has no output `sex`/,
    ],
    [
      "```javascript {#m fairness=predictions}\nmaml.output('sex', ['F', 'M']);\nmaml.output('prediction', [1, 0, 1]);\n```\n",
      /column "prediction": the column has 3 rows, `sex` 2/,
    ],
    [
      "```javascript {#m fairness=predictions}\nmaml.output('sex', ['F', 'M']);\nmaml.output('prediction', [1, 2]);\n```\n",
      /not 0\/1 or true\/false/,
    ],
    [
      "```javascript {#m fairness=predictions}\nmaml.output('sex', ['F', 'M']);\nmaml.output('prediction', [1, 0]);\nmaml.output('fairness_report', 'mine');\n```\n",
      /`fairness_report` is reserved/,
    ],
  ];
  for (const [body, expected] of cases) {
    const { report } = await run('fairness:\n  unprivileged: [F]', body);
    assert.equal(report.status, 'failed');
    assert.match(report.blocks[0]?.error?.message ?? '', expected);
  }
});

test('a cache hit is checked again under the current policy', { skip }, async () => {
  const first = await run('fairness:\n  unprivileged: [F]\n  level: warn', PREDICTIONS, true);
  assert.equal(first.report.status, 'succeeded');
  const again = await run('fairness:\n  unprivileged: [F]\n  level: warn', PREDICTIONS, true);
  assert.equal(again.report.status, 'succeeded', again.report.error?.message);
  assert.equal(again.report.blocks[0]?.cached, true);
  assert.equal(again.checked.length, 1);
  // The policy is not in the cache key: a stricter one fails the cached outputs.
  const strict = await run('fairness:\n  unprivileged: [F]\n  level: strict', PREDICTIONS, true);
  assert.equal(strict.report.status, 'failed');
  assert.match(strict.report.blocks[0]?.error?.message ?? '', /statistical_parity_difference = -0\.5/);
});
