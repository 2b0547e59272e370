// Federated runs on real heads: rounds of a client block with secure aggregation converge to the weighted mean
// of the clients' targets; a client that fails is dropped and one that sends a bad vector is excluded, both named
// in the round's record; a target epsilon stops the run; every aggregated round has a signed ticket.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NEEDS_BWRAP, useRuntimeFixture } from '../helpers/runtime-fixture.js';
import { TransparencyLog } from '../../src/crypto/index.js';
import { parse } from '../../src/format/index.js';
import {
  AUDIT_LOG_ORIGIN,
  DatabaseLogStore,
  ephemeralHeadSigners,
  headsOf,
  planFederated,
  planRun,
  runFederated,
  ticketIssuer,
} from '../../src/runtime/index.js';
import type { FederatedRoundData, RunEvent, RunPolicy } from '../../src/runtime/index.js';

const skip = NEEDS_BWRAP;
const rt = useRuntimeFixture('ai:2');
const POLICY: RunPolicy = {
  sandbox: { problem: null, networkProblem: null },
  heads: headsOf([{ headClass: 'ai', count: 2 }]),
};

function document(federated: string, client: string): string {
  return (
    `---\nmaml_version: "1.0"\nid: "urn:uuid:11111111-2222-4333-8444-555555555555"\ntype: federated_workflow\n` +
    `origin: "agent://test"\nfederated:\n${federated}---\n\n## Intent\n\nTest.\n\n## Code_Blocks\n\n` +
    '```javascript {#client}\n' +
    client +
    '\n```\n'
  );
}

// Client k wants every weight to be k + 1 and holds k + 1 samples; one step moves all the way there.
const CONVERGE = [
  'const { weights, client } = maml.inputs;',
  'maml.output("update", weights.map((w) => (client + 1) - w));',
  'maml.output("samples", client + 1);',
  'maml.output("loss", weights.reduce((s, w) => s + (w - client - 1) ** 2, 0));',
].join('\n');

async function run(text: string) {
  const doc = parse(text);
  const planned = planRun(doc, {}, POLICY);
  assert.ok(planned.ok, JSON.stringify(planned));
  const fed = planFederated(doc, planned.plan);
  assert.ok(fed.ok, JSON.stringify(fed));
  const events: RunEvent[] = [];
  const log = await TransparencyLog.open(new DatabaseLogStore(rt.db), AUDIT_LOG_ORIGIN);
  const report = await runFederated(planned.plan, fed.plan, {
    store: rt.store,
    pool: rt.pool,
    tickets: ticketIssuer(rt.db, ephemeralHeadSigners(), log),
    subscribers: [(e) => events.push(e)],
  });
  const rounds = events.filter((e) => e.type === 'federated_round').map((e) => e.data as FederatedRoundData);
  return { report, events, rounds };
}

test(
  'secure-aggregation rounds reach the sample-weighted mean; each round is ticketed and recorded',
  { skip },
  async () => {
    const { report, events, rounds } = await run(
      document('  rounds: 2\n  clients: 4\n  parameters: 3\n  aggregation: secure_aggregation\n  seed: t1\n', CONVERGE),
    );
    assert.equal(report.status, 'succeeded', JSON.stringify(report.error));
    // Weights 1..4 by targets 1..4: (1 + 4 + 9 + 16) / 10 = 3.
    const model = report.outputs['model'] as number[];
    for (const w of model) assert.ok(Math.abs(w - 3) < 1e-4, `weight ${w}`);
    assert.equal(rounds.length, 2);
    assert.deepEqual(rounds[0]?.included, ['client-0', 'client-1', 'client-2', 'client-3']);
    assert.equal(rounds[0]?.threshold, 3);
    assert.match(rounds[1]?.aggregateHash ?? '', /^[0-9a-f]{64}$/);
    assert.equal(events.filter((e) => e.type === 'ticket_issued').length, 2);
    assert.equal(report.history.filter((h) => h.action === 'TICKET').length, 2);
    const stored = await rt.store.getRun(report.runId);
    assert.equal(stored?.run.status, 'succeeded');
    assert.equal(stored?.events.filter((e) => e.type === 'federated_round').length, 2);
  },
);

test('a failing client is dropped and a wrong-length update excluded, both by name', { skip }, async () => {
  const client = [
    'const { weights, client } = maml.inputs;',
    'if (client === 1) throw new Error("disk full");',
    'maml.output("update", client === 2 ? [1, 2] : weights.map(() => 0.5));',
    'maml.output("samples", 10);',
  ].join('\n');
  const { report, rounds } = await run(
    document('  rounds: 1\n  clients: 5\n  parameters: 3\n  min_clients: 2\n  seed: t2\n', client),
  );
  assert.equal(report.status, 'succeeded', JSON.stringify(report.error));
  const r = rounds[0];
  assert.deepEqual(r?.included, ['client-0', 'client-3', 'client-4']);
  assert.deepEqual(
    r?.dropped.map((d) => d.client),
    ['client-1'],
  );
  assert.match(r?.dropped[0]?.reason ?? '', /disk full/);
  assert.deepEqual(r?.excluded, [
    { client: 'client-2', code: 'wrong_length', message: 'client-2: the update has 2 values; the model has 3' },
  ]);
  for (const w of report.outputs['model'] as number[]) assert.ok(Math.abs(w - 0.5) < 1e-4);
});

test(
  'with privacy, epsilon grows each round and a target epsilon stops the run before it is exceeded',
  { skip },
  async () => {
    const fed =
      '  rounds: 50\n  clients: 4\n  parameters: 2\n  seed: t3\n  aggregation: fedavg\n' +
      '  privacy:\n    mechanism: gaussian\n    clip: 1\n    noise_multiplier: 5\n    epsilon: 2.0\n    delta: 1e-5\n';
    const { report, rounds } = await run(document(fed, CONVERGE));
    assert.equal(report.status, 'succeeded');
    assert.ok(rounds.length >= 2 && rounds.length < 50, `${rounds.length} rounds`);
    for (let i = 1; i < rounds.length; i++) assert.ok((rounds[i]?.epsilon ?? 0) > (rounds[i - 1]?.epsilon ?? 0));
    const privacy = report.outputs['privacy'] as { epsilon: number; unit: string };
    assert.ok(privacy.epsilon <= 2.0);
    assert.equal(privacy.unit, 'client');
    assert.match(String(report.outputs['stopped']), /above the target 2/);
    // Every update (norm 2 sqrt(2) at the start) is clipped to 1.
    assert.equal(rounds[0]?.clipped, 4);
  },
);

test('fewer clients than the threshold can reach aborts the round with the reason', { skip }, async () => {
  const client =
    'if (maml.inputs.client > 0) throw new Error("offline");\nmaml.output("update", [0]);\nmaml.output("samples", 1);';
  const { report, rounds } = await run(document('  rounds: 1\n  clients: 3\n  parameters: 1\n  seed: t4\n', client));
  assert.equal(report.status, 'failed');
  assert.equal(rounds[0]?.status, 'aborted');
  assert.match(rounds[0]?.error ?? '', /1 usable client update\(s\), fewer than min_clients = 2/);
});
