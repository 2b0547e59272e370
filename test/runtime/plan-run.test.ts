// planRun decides everything once and refuses with diagnostics; a plan is plain data that runs after a JSON round
// trip; executePlan's events are one versioned stream, numbered without gaps, stored as they were emitted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NEEDS_BWRAP, useRuntimeFixture } from '../helpers/runtime-fixture.js';
import { parse } from '../../src/format/index.js';
import { compileRunLimits, executePlan, headsOf, planRun } from '../../src/runtime/index.js';
import type { RunEvent, RunPlan, RunPolicy } from '../../src/runtime/index.js';
import { RISKY, RISKY_FINDING } from '../helpers/risky-document.js';

const skip = NEEDS_BWRAP;

/** 1-based line of the first line of `text` that contains `needle`. */
const lineOf = (text: string, needle: string): number => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

const rt = useRuntimeFixture('ai:1');

const FRONT = (extra = ''): string =>
  `---\nmaml_version: "1.0"\nid: "urn:uuid:11111111-2222-4333-8444-555555555555"\ntype: workflow\norigin: "agent://test"\n${extra}---\n\n`;

const CHAIN = parse(
  `${FRONT()}## Intent\n\nAdd.\n\n## Input_Schema\n\n\`\`\`json\n{"type":"object","properties":{"n":{"type":"integer","default":2}}}\n\`\`\`\n\n## Code_Blocks\n\n` +
    '```javascript {#double}\nmaml.output("m", maml.inputs.n * 2);\n```\n\n' +
    '```javascript {#show needs=double}\nmaml.output("shown", `m=${maml.inputs.m}`);\n```\n',
);

/** Machine facts for a machine with a working sandbox and one ai head. */
const POLICY: RunPolicy = {
  sandbox: { problem: null, networkProblem: null },
  heads: headsOf([{ headClass: 'ai', count: 1 }]),
};

test('a plan holds every decision as plain data that survives a JSON round trip', () => {
  const result = planRun(CHAIN, { identity: 'agent://me' }, POLICY);
  assert.ok(result.ok, JSON.stringify(result));
  const { plan } = result;
  assert.deepEqual(JSON.parse(JSON.stringify(plan)), plan);
  assert.equal(plan.identity, 'agent://me');
  assert.deepEqual(plan.inputs, { n: 2 }, 'the schema default is applied');
  assert.deepEqual(
    plan.blocks.map((b) => [b.id, b.lang, b.placement, b.headClass, b.upstream]),
    [
      ['double', 'javascript', 'head', 'ai', []],
      ['show', 'javascript', 'head', 'ai', ['double']],
    ],
  );
  assert.equal(plan.risk, null);
});

test('a refusal lists every problem as a diagnostic with its place, led by the first kind found', () => {
  const doc = parse(
    `${FRONT('permissions:\n  execute: ["agent://lab/*"]\n')}## Intent\n\nToo much.\n\n## Input_Schema\n\n\`\`\`json\n{"type":"object","properties":{"n":{"type":"integer"}},"required":["n"]}\n\`\`\`\n\n## Code_Blocks\n\n` +
      '```bash {#wait timeout=2h}\nsleep 1\n```\n\n' +
      '```bash {#pinned head=gpu-9}\ntrue\n```\n',
  );
  const result = planRun(doc, { identity: 'agent://elsewhere' }, { ...POLICY, limits: compileRunLimits({}) });
  assert.equal(result.ok, false);
  if (result.ok) return;
  assert.equal(result.code, 'permission_denied');
  assert.match(result.message, /agent:\/\/elsewhere may not execute this document/);
  const found = result.diagnostics.map((d) => [d.code, d.line]);
  assert.deepEqual(found, [
    ['execute_denied', lineOf(doc.text, 'execute:')],
    ['unknown_head', lineOf(doc.text, '#pinned')],
    ['limit_exceeded', lineOf(doc.text, '#wait')],
    ['invalid_input', lineOf(doc.text, '{"type":"object"')],
  ]);
  for (const d of result.diagnostics) assert.ok(d.column >= 1 && d.severity === 'error');
});

test('the threat scan gate refuses unless the request allows the risk, then the plan carries the verdict', () => {
  const refused = planRun(parse(RISKY), {}, POLICY);
  assert.equal(refused.ok, false);
  if (refused.ok) return;
  assert.equal(refused.code, 'invalid_document');
  assert.ok(refused.diagnostics.some((d) => d.code === RISKY_FINDING.code && d.line === RISKY_FINDING.line));
  const allowed = planRun(parse(RISKY), { allowRisk: true }, POLICY);
  assert.ok(allowed.ok);
  assert.ok(allowed.plan.risk && allowed.plan.risk.score >= allowed.plan.risk.threshold);
});

test('sandbox availability is the policy’s: missing bubblewrap refuses at the first sandboxed block', () => {
  const missing: RunPolicy = { ...POLICY, sandbox: { problem: 'install bubblewrap', networkProblem: null } };
  const refused = planRun(CHAIN, {}, missing);
  assert.equal(refused.ok, false);
  if (refused.ok) return;
  assert.equal(refused.code, 'missing_tool');
  assert.deepEqual(
    refused.diagnostics.map((d) => [d.code, d.line]),
    [['sandbox_unavailable', lineOf(CHAIN.text, '#double')]],
  );
  assert.ok(planRun(CHAIN, {}, { ...missing, unsafeNoSandbox: true }).ok);
  // Only a document granted the network needs slirp4netns.
  const noNet: RunPolicy = { ...POLICY, sandbox: { problem: null, networkProblem: 'install slirp4netns' } };
  assert.ok(planRun(CHAIN, {}, noNet).ok);
  const networked = parse(
    CHAIN.text.replace('origin: "agent://test"\n', 'origin: "agent://test"\npermissions:\n  network: true\n'),
  );
  assert.equal(planRun(networked, {}, noNet).ok, false);
});

test(
  'a round-tripped plan runs; its events are one versioned stream, numbered 1..n, stored as emitted',
  { skip },
  async () => {
    const result = planRun(CHAIN, { inputs: { n: 5 } }, POLICY);
    assert.ok(result.ok);
    const plan = JSON.parse(JSON.stringify(result.plan)) as RunPlan;
    const events: RunEvent[] = [];
    const report = await executePlan(plan, { store: rt.store, pool: rt.pool, subscribers: [(e) => events.push(e)] });
    assert.equal(report.status, 'succeeded', JSON.stringify(report.error));
    assert.deepEqual(report.outputs, { m: 10, shown: 'm=10' });
    assert.deepEqual(
      events.map((e) => e.seq),
      events.map((_, i) => i + 1),
    );
    assert.ok(events.every((e) => e.v === 1 && e.runId === report.runId));
    assert.equal(events.at(-1)?.type, 'run_finished');
    assert.deepEqual(
      events.map((e) => [e.type, e.blockId]),
      [
        ['run_started', null],
        ['block_started', 'double'],
        ['block_succeeded', 'double'],
        ['block_started', 'show'],
        ['block_succeeded', 'show'],
        ['run_finished', null],
      ],
    );
    const stored = (await rt.store.getRun(report.runId))?.events ?? [];
    assert.deepEqual(
      stored.map((e) => ({ seq: e.seq, at: e.at, type: e.type, blockId: e.blockId, data: e.data })),
      events.map((e) => ({ seq: e.seq, at: e.at, type: e.type, blockId: e.blockId, data: e.data })),
    );
  },
);
