// `fairness:` front matter: bare true warns with the defaults, a mapping compiles, mistakes are errors at their
// key, and the fairness= block mark is checked against the policy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse, validate } from '../../src/format/index.js';
import { compileFairnessPolicy, withinThreshold } from '../../src/fairness/index.js';

function findings(fairness: string, attrs = 'fairness=predictions', profile: 'strict' | 'lenient' = 'lenient') {
  const text = `---\nmaml_version: "1.0"\nid: "urn:uuid:11111111-2222-4333-8444-555555555519"\ntype: workflow\norigin: "agent://test"\n${fairness}\n---\n\n## Intent\n\nTest.\n\n## Code_Blocks\n\n\`\`\`python {#model ${attrs}}\nprint(1)\n\`\`\`\n`;
  return validate(parse(text), { profile }).filter(
    (d) => d.code.includes('fairness') || d.code === 'invalid_attribute',
  );
}

test('bare true: one warning naming the defaults', () => {
  const found = findings('fairness: true');
  assert.deepEqual(
    found.map((d) => [d.code, d.severity]),
    [['fairness_defaults', 'warning']],
  );
  assert.match(
    found[0]?.message ?? '',
    /protected: \[sex\].*demographic_parity_difference, threshold: 0\.1, level: warn/,
  );
  assert.equal(found[0]?.line, 6);
});

test('a valid mapping gives no finding, in both profiles', () => {
  const mapping =
    'fairness:\n  protected: [sex, race]\n  unprivileged: "Female × Black"\n  favourable: ">50K"\n  metric: equal_opportunity_difference\n  threshold: 0.05\n  level: strict';
  assert.deepEqual(findings(mapping), []);
  assert.deepEqual(findings(mapping, 'fairness=predictions', 'strict'), []);
  const { policy } = compileFairnessPolicy({
    protected: ['sex', 'race'],
    unprivileged: 'Female × Black',
    favourable: '>50K',
  });
  assert.deepEqual(policy?.unprivileged, ['Female × Black']);
  assert.equal(policy?.metric, 'statistical_parity_difference');
  assert.equal(policy?.level, 'strict');
});

test('mistakes are errors at their key', () => {
  const cases: [string, RegExp][] = [
    ['fairness:\n  metric: fairness_score', /metric: must be one of statistical_parity_difference/],
    ['fairness:\n  threshold: -1', /threshold: must be a number of 0 or more/],
    ['fairness:\n  metric: disparate_impact\n  unprivileged: [F]\n  threshold: 2', /from 0 to 1/],
    ['fairness:\n  level: loud', /level: must be strict/],
    ['fairness:\n  mitigate: magic', /mitigate: must be reweighing or threshold_optimizer/],
    ['fairness:\n  metric: statistical_parity_difference', /unprivileged: statistical_parity_difference compares/],
    ['fairness:\n  protectd: [sex]', /unknown key `protectd`/],
    ['fairness: "yes please"', /`fairness` is true, false or a mapping/],
  ];
  for (const [yaml, message] of cases) {
    const errors = findings(yaml).filter((d) => d.severity === 'error');
    assert.ok(
      errors.some((d) => d.code === 'invalid_fairness' && message.test(d.message)),
      `${yaml}: ${JSON.stringify(errors)}`,
    );
  }
});

test('block marks: unknown role, training without reweighing, nothing marked, no policy', () => {
  assert.ok(findings('fairness: true', 'fairness=model').some((d) => d.code === 'invalid_attribute'));
  assert.ok(
    findings('fairness:\n  unprivileged: [F]', 'fairness=training').some((d) => /mitigate: reweighing/.test(d.message)),
  );
  assert.ok(findings('fairness:\n  unprivileged: [F]', '').some((d) => d.code === 'fairness_unchecked'));
  const none = findings('tags: [x]');
  assert.deepEqual(
    none.map((d) => d.code),
    ['fairness_unchecked'],
  );
});

test('thresholds: differences by absolute value, ratios both ways, undefined never passes', () => {
  const diff = { metric: 'statistical_parity_difference', threshold: 0.1 } as const;
  assert.ok(withinThreshold(diff, -0.1) && withinThreshold(diff, 0.05) && !withinThreshold(diff, -0.11));
  const ratio = { metric: 'disparate_impact', threshold: 0.8 } as const;
  assert.ok(
    withinThreshold(ratio, 0.8) &&
      withinThreshold(ratio, 1.25) &&
      !withinThreshold(ratio, 1.3) &&
      !withinThreshold(ratio, 0.79),
  );
  assert.ok(!withinThreshold(diff, null) && !withinThreshold(ratio, 0));
});
