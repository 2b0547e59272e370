// The gateway's check of a block's outputs, without a run: the threshold optimizer path (fit rows and test rows),
// reweighing, and hostile outputs (a group per row, too many groups for the optimizer, bad splits and scores).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkBlockFairness,
  compileFairnessPolicy,
  seededRandom,
  type FairnessPolicy,
} from '../../src/fairness/index.js';

function policy(value: Record<string, unknown>): FairnessPolicy {
  const compiled = compileFairnessPolicy(value);
  assert.ok(compiled.policy, JSON.stringify(compiled.problems));
  return compiled.policy;
}

/** Scores that favour group M; rows alternate fit / test. */
function scoredOutputs(n: number, seed: number): Record<string, unknown[]> {
  const random = seededRandom(seed);
  const out: Record<string, unknown[]> = { sex: [], label: [], score: [], prediction: [], split: [] };
  for (let i = 0; i < n; i++) {
    const female = random() < 0.4;
    const y = random() < (female ? 0.15 : 0.35) ? 1 : 0;
    const s = Math.min(1, Math.max(0, (y ? 0.7 : 0.3) + (female ? -0.15 : 0) + (random() - 0.5) * 0.5));
    out['sex']?.push(female ? 'F' : 'M');
    out['label']?.push(y);
    out['score']?.push(s);
    out['prediction']?.push(s >= 0.5 ? 1 : 0);
    out['split']?.push(i % 2 === 0 ? 'fit' : 'test');
  }
  return out;
}

test('threshold optimizer: fitted on the fit rows, decides the test rows, checked after', () => {
  const outputs = scoredOutputs(20_000, 3);
  const p = policy({
    unprivileged: 'F',
    metric: 'demographic_parity_difference',
    threshold: 0.02,
    mitigate: 'threshold_optimizer',
  });
  const verdict = checkBlockFairness(p, 'predictions', outputs);
  assert.ok(verdict.ok, verdict.ok ? '' : verdict.problem.message);
  assert.equal(verdict.value.passed, true, verdict.value.message);
  const report = verdict.value.additions['fairness_report'] as {
    rows: number;
    before: { metrics: Record<string, number> };
    metrics: Record<string, number>;
  };
  assert.equal(report.rows, 10_000);
  assert.ok((report.before.metrics['demographic_parity_difference'] as number) > 0.1);
  assert.ok((report.metrics['demographic_parity_difference'] as number) <= 0.02);
  const fair = verdict.value.additions['fair_prediction'] as (number | null)[];
  assert.equal(fair.length, 20_000);
  assert.equal(fair[0], null);
  assert.ok(fair[1] === 0 || fair[1] === 1);
});

test('threshold optimizer: bad split, NaN score, a missing split column', () => {
  const p = policy({ unprivileged: 'F', mitigate: 'threshold_optimizer' });
  const outputs = scoredOutputs(100, 4);
  (outputs['split'] as unknown[])[7] = 'train';
  const split = checkBlockFairness(p, 'predictions', outputs);
  assert.ok(!split.ok);
  assert.deepEqual([split.problem.column, split.problem.row], ['split', 8]);
  const nan = scoredOutputs(100, 4);
  (nan['score'] as unknown[])[9] = 'NaN';
  const bad = checkBlockFairness(p, 'predictions', nan);
  assert.ok(!bad.ok);
  assert.deepEqual([bad.problem.code, bad.problem.column, bad.problem.row], ['not_a_number', 'score', 10]);
  const { split: _, ...noSplit } = scoredOutputs(100, 4);
  const missing = checkBlockFairness(p, 'predictions', noSplit);
  assert.ok(!missing.ok);
  assert.equal(missing.problem.column, 'split');
});

test('a group per row: the check completes, and the message shows 30 groups', () => {
  const n = 200_000;
  const outputs = {
    sex: Array.from({ length: n }, (_, i) => `g${i}`),
    prediction: Array.from({ length: n }, (_, i) => i % 2),
  };
  const verdict = checkBlockFairness(policy({ unprivileged: 'g0' }), 'predictions', outputs);
  assert.ok(verdict.ok);
  assert.equal(verdict.value.passed, false);
  assert.match(verdict.value.message, /… and 199970 more groups/);
  assert.ok(verdict.value.message.length < 10_000);
  const optimizer = checkBlockFairness(policy({ unprivileged: 'g0', mitigate: 'threshold_optimizer' }), 'predictions', {
    ...outputs,
    label: outputs.prediction,
    score: outputs.prediction,
    split: outputs.sex.map((_, i) => (i % 2 === 0 ? 'fit' : 'test')),
  });
  assert.ok(!optimizer.ok);
  assert.equal(optimizer.problem.code, 'too_large');
});

test('reweighing for a training block; refused without mitigate: reweighing', () => {
  const outputs = { sex: ['F', 'F', 'M', 'M'], label: [1, 0, 1, 1] };
  const verdict = checkBlockFairness(policy({ unprivileged: 'F', mitigate: 'reweighing' }), 'training', outputs);
  assert.ok(verdict.ok);
  // P(F)=½ P(1)=¾ P(F,1)=¼ → 1.5; P(F,0)=¼ → P(0)=¼ → 0.5; M: P(M,1)=½ → 0.75
  assert.deepEqual(verdict.value.additions['sample_weights'], [1.5, 0.5, 0.75, 0.75]);
  assert.ok(!checkBlockFairness(policy({ unprivileged: 'F' }), 'training', outputs).ok);
});
