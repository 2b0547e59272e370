// The metrics on small samples worked out by hand: several groups, an intersection, sample weights, and the
// undefined cases (a rate over an empty set) coming out as null rather than a number.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  averageOddsDifference,
  countGroups,
  demographicParityDifference,
  demographicParityRatio,
  disparateImpact,
  equalOpportunityDifference,
  equalizedOddsDifference,
  fairnessReport,
  groupPerformance,
  sides,
  statisticalParityDifference,
  type BinarySample,
} from '../../src/fairness/index.js';

const close = (actual: number | null, expected: number, eps = 1e-12): void => {
  assert.ok(actual !== null && Math.abs(actual - expected) <= eps, `${String(actual)} ≠ ${expected}`);
};

// Group a: 4 rows, b: 4 rows, c: 2 rows.
//          a a a a b b b b c c
const sample: BinarySample = {
  groups: ['a', 'a', 'a', 'a', 'b', 'b', 'b', 'b', 'c', 'c'],
  predictions: [1, 1, 0, 0, 1, 0, 0, 0, 1, 1],
  labels: [1, 0, 1, 0, 1, 1, 0, 0, 1, 0],
};

test('selection rates, parity differences and ratios follow AIF360 (sides) and Fairlearn (spread)', () => {
  const table = countGroups(sample);
  // selection rates: a 2/4, b 1/4, c 2/2
  const s = sides(table, { unprivileged: ['b'] });
  assert.ok(s.ok);
  // privileged = a ∪ c: 4/6 selected
  close(statisticalParityDifference(s.value), 1 / 4 - 4 / 6);
  close(disparateImpact(s.value), 1 / 4 / (4 / 6));
  close(demographicParityDifference(table), 1 - 1 / 4);
  close(demographicParityRatio(table), 1 / 4);
});

test('error-rate metrics: TPR and FPR per side and their spreads', () => {
  const table = countGroups(sample);
  // a: tp 1 fn 1 fp 1 tn 1 → TPR 1/2 FPR 1/2; b: tp 1 fn 1 fp 0 tn 2 → TPR 1/2 FPR 0; c: tp 1 fp 1 → TPR 1 FPR 1
  const s = sides(table, { unprivileged: ['b'], privileged: ['a'] });
  assert.ok(s.ok);
  close(equalOpportunityDifference(s.value), 0);
  close(averageOddsDifference(s.value), (0 - 1 / 2 + 0) / 2);
  close(equalizedOddsDifference(table, 'worst_case'), Math.max(1 - 1 / 2, 1 - 0));
  close(equalizedOddsDifference(table, 'mean'), (1 / 2 + 1) / 2);
  const perf = groupPerformance(table.groups.get('a') as never);
  assert.deepEqual(perf, { accuracy: 0.5, precision: 0.5, recall: 0.5 });
});

test('sample weights count as that many rows', () => {
  // Weight 3 on a row equals that row three times.
  const weighted = fairnessReport(
    { groups: ['x', 'x', 'y', 'y'], predictions: [1, 0, 1, 0], labels: [1, 0, 0, 1], weights: [3, 1, 1, 2] },
    { unprivileged: ['y'] },
  );
  const repeated = fairnessReport(
    { groups: ['x', 'x', 'x', 'x', 'y', 'y', 'y'], predictions: [1, 1, 1, 0, 1, 0, 0], labels: [1, 1, 1, 0, 0, 1, 1] },
    { unprivileged: ['y'] },
  );
  assert.ok(weighted.ok && repeated.ok);
  for (const [name, value] of Object.entries(repeated.value.metrics)) {
    const w: number | null = weighted.value.metrics[name as keyof typeof weighted.value.metrics];
    if (value === null) assert.equal(w, null, name);
    else close(w, value, 1e-12);
  }
  close(weighted.value.metrics.statistical_parity_difference, 1 / 3 - 3 / 4);
  assert.equal(weighted.value.groups[0]?.weight, 4);
  assert.equal(weighted.value.groups[0]?.rows, 2);
});

test('an intersection is one group per combination of values', () => {
  const report = fairnessReport(
    {
      groups: ['F × B', 'F × W', 'M × B', 'M × W', 'M × W', 'F × B'],
      predictions: [0, 1, 1, 1, 0, 1],
    },
    { unprivileged: ['F × B'] },
  );
  assert.ok(report.ok);
  assert.deepEqual(
    report.value.groups.map((g) => [g.group, g.side, g.selection_rate]),
    [
      ['F × B', 'unprivileged', 0.5],
      ['F × W', 'privileged', 1],
      ['M × B', 'privileged', 1],
      ['M × W', 'privileged', 0.5],
    ],
  );
  close(report.value.metrics.statistical_parity_difference, 0.5 - 3 / 4);
  close(report.value.metrics.demographic_parity_difference, 0.5);
  // Without labels the error-rate metrics are not defined.
  assert.equal(report.value.metrics.equal_opportunity_difference, null);
  assert.equal(report.value.metrics.accuracy, null);
});

test('undefined rates are null, not 0 or NaN', () => {
  // Privileged side never selected: disparate impact undefined; group q has no favourable label: TPR undefined.
  const report = fairnessReport(
    { groups: ['p', 'p', 'q', 'q'], predictions: [0, 0, 1, 0], labels: [1, 0, 0, 0] },
    { unprivileged: ['q'] },
  );
  assert.ok(report.ok);
  assert.equal(report.value.metrics.disparate_impact, null);
  assert.equal(report.value.metrics.equal_opportunity_difference, null);
  assert.equal(report.value.metrics.equalized_odds_difference, null);
  close(report.value.metrics.statistical_parity_difference, 0.5);
  assert.equal(report.value.groups[1]?.true_positive_rate, null);
  assert.equal(report.value.groups[1]?.precision, 0);
});

test('a named group with no rows, or no other group to compare with, is a problem', () => {
  const missing = fairnessReport(
    { groups: ['Male', 'Female'], predictions: [1, 0] },
    { unprivileged: ['female'] },
    'sex',
  );
  assert.ok(!missing.ok);
  assert.equal(missing.problem.code, 'empty_group');
  assert.equal(missing.problem.column, 'sex');
  assert.match(missing.problem.message, /"female".*"Male", "Female"/);
  const alone = fairnessReport({ groups: ['F', 'F'], predictions: [1, 0] }, { unprivileged: ['F'] });
  assert.ok(!alone.ok);
  assert.match(alone.problem.message, /privileged side has no group/);
  const both = fairnessReport({ groups: ['F', 'M'], predictions: [1, 0] }, { unprivileged: ['F'], privileged: ['F'] });
  assert.ok(!both.ok);
});
