// The federated: front matter: seed-style keys mapped with warnings, unknown keys and bad values refused with
// their path, and planFederated's diagnostics placed at the line of the key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileFederatedConfig } from '../../src/federated/index.js';
import { parse } from '../../src/format/index.js';
import { headsOf, planFederated, planRun } from '../../src/runtime/index.js';

test('seed-style keys are accepted and mapped, with a warning where they are vague', () => {
  const r = compileFederatedConfig({
    nodes: 10,
    aggregation: 'secure_aggregation',
    privacy: 'differential_privacy',
    epsilon: 1.0,
    parameters: 4,
  });
  assert.ok(r.config);
  assert.equal(r.config.clients, 10);
  assert.equal(r.config.aggregation, 'secure_aggregation');
  assert.deepEqual(r.config.privacy, {
    mechanism: 'gaussian',
    clip: 1,
    noiseMultiplier: null,
    epsilon: 1,
    delta: 1e-5,
  });
  assert.deepEqual(
    r.issues.map((i) => [i.path, i.severity, i.code]),
    [
      ['/federated/rounds', 'warning', 'federated_default_rounds'],
      ['/federated/privacy', 'warning', 'federated_mapped'],
      ['/federated/epsilon', 'warning', 'federated_mapped'],
    ],
  );
});

test('unknown keys, bad values and missing essentials are errors with their path', () => {
  const r = compileFederatedConfig({
    clients: 1,
    rounds: 0,
    fraction: 2,
    aggregation: 'magic',
    privacy: { mechanism: 'laplace', clip: -1, sigma: 2 },
    turbo: true,
  });
  assert.equal(r.config, undefined);
  const errors = r.issues.filter((i) => i.severity === 'error').map((i) => i.path);
  for (const p of [
    '/federated/turbo',
    '/federated/clients',
    '/federated/rounds',
    '/federated/fraction',
    '/federated/aggregation',
    '/federated/privacy/sigma',
    '/federated/privacy/mechanism',
    '/federated/privacy/clip',
    '/federated',
  ])
    assert.ok(errors.includes(p), `${p} in ${errors.join(', ')}`);
  assert.equal(compileFederatedConfig('yes').config, undefined);
  assert.equal(compileFederatedConfig({ clients: 1e12, parameters: 1 }).config, undefined);
});

test('federated problems are placed at their front-matter key; planFederated finds the blocks and computes z', () => {
  const text = (fed: string): string =>
    `---\nmaml_version: "1.0"\nid: "urn:uuid:11111111-2222-4333-8444-555555555555"\ntype: workflow\norigin: "agent://t"\nfederated:\n${fed}---\n\n## Intent\n\nT.\n\n## Code_Blocks\n\n` +
    '```javascript {#a}\nmaml.output("x", 1);\n```\n\n```javascript {#b}\nmaml.output("y", 1);\n```\n';
  const policy = { sandbox: { problem: null, networkProblem: null }, heads: headsOf([{ headClass: 'ai', count: 1 }]) };
  // A value the schema refuses stops the run at planning, at the key's line.
  const bad = parse(text('  clients: 4\n  parameters: 2\n  rounds: 3\n  fraction: 7\n'));
  const refused = planRun(bad, {}, policy);
  assert.equal(refused.ok, false);
  if (refused.ok) return;
  assert.ok(
    refused.diagnostics.some((d) => d.line === 10 && d.severity === 'error'),
    JSON.stringify(refused.diagnostics),
  );
  // A federated section that cannot run (min_clients above clients) is refused by planFederated at the key.
  const semanticDoc = parse(text('  clients: 4\n  parameters: 2\n  min_clients: 9\n'));
  const semanticPlan = planRun(semanticDoc, {}, policy);
  assert.ok(semanticPlan.ok);
  const semantic = planFederated(semanticDoc, semanticPlan.plan);
  assert.ok(!semantic.ok && semantic.diagnostics.some((d) => d.code === 'federated_bad_value' && d.line === 9));
  const two = parse(text('  clients: 4\n  parameters: 2\n  rounds: 3\n'));
  const p2 = planRun(two, {}, policy);
  assert.ok(p2.ok);
  const which = planFederated(two, p2.plan);
  assert.ok(!which.ok && which.diagnostics.some((d) => d.code === 'federated_client_block'));
  const dp = parse(
    text(
      '  clients: 4\n  parameters: 2\n  rounds: 30\n  fraction: 0.5\n  client_block: a\n  evaluate_block: b\n  privacy: {mechanism: gaussian, clip: 1, epsilon: 2, delta: 1e-5}\n',
    ),
  );
  const p3 = planRun(dp, {}, policy);
  assert.ok(p3.ok);
  const ok = planFederated(dp, p3.plan);
  assert.ok(ok.ok, JSON.stringify(ok));
  assert.ok(ok.plan.noiseMultiplier > 0.5 && ok.plan.noiseMultiplier < 10, String(ok.plan.noiseMultiplier));
});
