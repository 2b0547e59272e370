// Logistic regression (against the model that generated the data; weights against repeated rows) and the threshold
// optimizer (parity reached on the data it was fitted on, in expectation and by sampling; bad scores refused).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  applyThresholdPolicy,
  fairnessReport,
  favourableProbability,
  fitThresholdOptimizer,
  predictProbabilities,
  seededRandom,
  trainLogisticRegression,
  type Matrix,
} from '../../src/fairness/index.js';

/** n rows of two standard-normal-ish features, labels drawn from P(y=1) = σ(1.5·x0 − 2·x1 + 0.5). */
function synthetic(n: number, seed: number): { x: Matrix; y: Uint8Array } {
  const random = seededRandom(seed);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const data = new Float64Array(n * 2);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const a = gauss();
    const b = gauss();
    data[2 * i] = a;
    data[2 * i + 1] = b;
    y[i] = random() < 1 / (1 + Math.exp(-(1.5 * a - 2 * b + 0.5))) ? 1 : 0;
  }
  return { x: { rows: n, cols: 2, data }, y };
}

test('logistic regression recovers the coefficients that generated the data', () => {
  const { x, y } = synthetic(40_000, 7);
  const model = trainLogisticRegression(x, y, undefined, { l2: 0 });
  assert.ok(model.iterations < 20, `converged in ${model.iterations} iterations`);
  assert.ok(Math.abs((model.coefficients[0] as number) - 1.5) < 0.08, `β0 ${model.coefficients[0]}`);
  assert.ok(Math.abs((model.coefficients[1] as number) + 2) < 0.08, `β1 ${model.coefficients[1]}`);
  assert.ok(Math.abs(model.intercept - 0.5) < 0.08, `b ${model.intercept}`);
  // At the optimum the gradient of the log-likelihood is zero: Σ (p − y)·x = 0.
  const p = predictProbabilities(model, x);
  let g0 = 0;
  let gb = 0;
  for (let i = 0; i < x.rows; i++) {
    g0 += ((p[i] as number) - (y[i] as number)) * (x.data[2 * i] as number);
    gb += (p[i] as number) - (y[i] as number);
  }
  assert.ok(Math.abs(g0) / x.rows < 1e-9 && Math.abs(gb) / x.rows < 1e-9);
});

test('a sample weight of 2 is the row twice', () => {
  const { x, y } = synthetic(500, 3);
  const weights = Float64Array.from({ length: 500 }, (_, i) => (i % 3 === 0 ? 2 : 1));
  const data: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < 500; i++)
    for (let k = 0; k < (weights[i] as number); k++) {
      data.push(x.data[2 * i] as number, x.data[2 * i + 1] as number);
      labels.push(y[i] as number);
    }
  const weighted = trainLogisticRegression(x, y, weights);
  const repeated = trainLogisticRegression({ rows: labels.length, cols: 2, data: Float64Array.from(data) }, labels);
  for (let j = 0; j < 2; j++)
    assert.ok(Math.abs((weighted.coefficients[j] as number) - (repeated.coefficients[j] as number)) < 1e-9);
  assert.ok(Math.abs(weighted.intercept - repeated.intercept) < 1e-9);
});

/** Two groups whose scores are shifted: group b scores lower for the same label. */
function scored(n: number, seed: number): { groups: string[]; scores: Float64Array; labels: Uint8Array } {
  const random = seededRandom(seed);
  const groups: string[] = [];
  const scores = new Float64Array(n);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const b = random() < 0.4;
    const y = random() < (b ? 0.2 : 0.4) ? 1 : 0;
    groups.push(b ? 'b' : 'a');
    labels[i] = y;
    scores[i] = Math.min(1, Math.max(0, (y ? 0.65 : 0.35) + (b ? -0.1 : 0) + (random() - 0.5) * 0.6));
  }
  return { groups, scores, labels };
}

test('demographic parity: equal expected selection rates on the fitted data, and close when sampled', () => {
  const data = scored(20_000, 11);
  const policy = fitThresholdOptimizer(data, 'demographic_parity');
  assert.ok(policy.ok);
  const target = policy.value.target.selectionRate as number;
  for (const rule of policy.value.rules) {
    let expected = 0;
    let n = 0;
    data.groups.forEach((g, i) => {
      if (g !== rule.group) return;
      expected += favourableProbability(rule, data.scores[i] as number);
      n++;
    });
    assert.ok(Math.abs(expected / n - target) < 1e-9, `${rule.group}: ${expected / n} vs ${target}`);
  }
  const predictions = applyThresholdPolicy(policy.value, data, 5);
  assert.ok(predictions.ok);
  const report = fairnessReport({ ...data, predictions: predictions.value }, { unprivileged: ['b'] });
  assert.ok(report.ok);
  assert.ok((report.value.metrics.demographic_parity_difference as number) < 0.02);
  // The same seed gives the same decisions.
  const again = applyThresholdPolicy(policy.value, data, 5);
  assert.ok(again.ok);
  assert.deepEqual(again.value, predictions.value);
});

test('equalized odds: the groups share the (FPR, TPR) point in expectation', () => {
  const data = scored(20_000, 12);
  const policy = fitThresholdOptimizer(data, 'equalized_odds');
  assert.ok(policy.ok);
  const { fpr, tpr } = policy.value.target as { fpr: number; tpr: number };
  assert.ok(tpr >= fpr);
  for (const rule of policy.value.rules) {
    const sums = { pos: 0, neg: 0, tp: 0, fp: 0 };
    data.groups.forEach((g, i) => {
      if (g !== rule.group) return;
      const p = favourableProbability(rule, data.scores[i] as number);
      if (data.labels[i] === 1) {
        sums.pos++;
        sums.tp += p;
      } else {
        sums.neg++;
        sums.fp += p;
      }
    });
    assert.ok(Math.abs(sums.tp / sums.pos - tpr) < 1e-9, `${rule.group} TPR`);
    assert.ok(Math.abs(sums.fp / sums.neg - fpr) < 1e-9, `${rule.group} FPR`);
  }
});

test('NaN scores, unknown groups and a single group are problems naming the row', () => {
  const data = scored(100, 1);
  const bad = { ...data, scores: Float64Array.from(data.scores) };
  bad.scores[41] = Number.NaN;
  const fit = fitThresholdOptimizer(bad, 'demographic_parity');
  assert.ok(!fit.ok);
  assert.deepEqual([fit.problem.code, fit.problem.column, fit.problem.row], ['not_a_number', 'score', 42]);
  const policy = fitThresholdOptimizer(data, 'demographic_parity');
  assert.ok(policy.ok);
  const unknown = applyThresholdPolicy(policy.value, { groups: ['a', 'c'], scores: [0.5, 0.5] });
  assert.ok(!unknown.ok);
  assert.equal(unknown.problem.row, 2);
  const nan = applyThresholdPolicy(policy.value, { groups: ['a'], scores: [Number.NaN] });
  assert.ok(!nan.ok && nan.problem.code === 'not_a_number');
  const one = fitThresholdOptimizer({ groups: ['a', 'a'], scores: [0.1, 0.9], labels: [0, 1] }, 'equalized_odds');
  assert.ok(!one.ok && one.problem.code === 'empty_group');
});
