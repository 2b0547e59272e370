/**
 * Before and after: trains a logistic regression on one table, evaluates it on another, and compares the
 * fairness table and accuracy of (1) the plain model, (2) the model trained with reweighing weights, (3) the
 * plain model's scores post-processed by the threshold optimizer for demographic parity and (4) for equalized
 * odds, the optimizer fitted on a third, held-out table. docs/fairness.md shows the result on UCI Adult.
 */
import { sampleFromColumns, type Columns } from './columns.js';
import { ok, type DataResult } from './data-problem.js';
import { encode, fitEncoder, type FeatureSpec } from './feature-encoder.js';
import { fairnessReport, type FairnessReport } from './fairness-report.js';
import { predictProbabilities, trainLogisticRegression } from './logistic-regression.js';
import type { Privilege } from './privilege.js';
import { seededRandom } from './random.js';
import { reweighing } from './reweighing.js';
import {
  applyThresholdPolicy,
  fitThresholdOptimizer,
  type ParityConstraint,
  type ThresholdPolicy,
} from './threshold-optimizer.js';

export interface ExperimentSpec {
  readonly features: FeatureSpec;
  readonly protected: readonly string[];
  readonly label: string;
  readonly favourable: readonly string[];
  readonly privilege: Privilege;
  /** Seed of the optimizer's randomised decisions. */
  readonly seed?: number;
}

export type MethodName =
  'none' | 'reweighing' | 'threshold_optimizer_demographic_parity' | 'threshold_optimizer_equalized_odds';

export interface ExperimentRow {
  readonly method: MethodName;
  readonly report: FairnessReport;
  readonly policy?: ThresholdPolicy;
}

/** Rows of a table split in two at random (seeded): the first `fraction` and the rest. */
export function splitRows(table: Columns, fraction: number, seed: number): [Columns, Columns] {
  const order = Array.from({ length: table.rowCount }, (_, i) => i);
  const random = seededRandom(seed);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  const cut = Math.round(order.length * fraction);
  const view = (rows: number[]): Columns => ({
    header: table.header,
    rowCount: rows.length,
    cell: (r, c) => table.cell(rows[r] as number, c),
    line: (r) => table.line?.(rows[r] as number),
  });
  return [view(order.slice(0, cut)), view(order.slice(cut))];
}

export function mitigationExperiment(
  tables: { readonly train: Columns; readonly heldOut: Columns; readonly test: Columns },
  spec: ExperimentSpec,
): DataResult<ExperimentRow[]> {
  const encoder = fitEncoder(tables.train, spec.features);
  if (!encoder.ok) return encoder;
  const labelled = (t: Columns) =>
    sampleFromColumns(t, { protected: spec.protected, label: spec.label, favourable: spec.favourable });
  const data = { train: labelled(tables.train), heldOut: labelled(tables.heldOut), test: labelled(tables.test) };
  const x = {
    train: encode(encoder.value, tables.train),
    heldOut: encode(encoder.value, tables.heldOut),
    test: encode(encoder.value, tables.test),
  };
  for (const r of [data.train, data.heldOut, data.test]) if (!r.ok) return r;
  for (const r of [x.train, x.heldOut, x.test]) if (!r.ok) return r;
  if (!data.train.ok || !data.heldOut.ok || !data.test.ok || !x.train.ok || !x.heldOut.ok || !x.test.ok)
    throw new Error('unreachable');
  // With a label column only, sampleFromColumns measures the labels: `predictions` holds them.
  const yTrain = data.train.value.predictions;
  const yHeldOut = data.heldOut.value.predictions;
  const test = { groups: data.test.value.groups, labels: data.test.value.predictions };

  const rows: ExperimentRow[] = [];
  const evaluate = (method: MethodName, predictions: Uint8Array, policy?: ThresholdPolicy): DataResult<void> => {
    const report = fairnessReport({ ...test, predictions }, spec.privilege, spec.protected.join(' × '));
    if (!report.ok) return report;
    rows.push({ method, report: report.value, ...(policy ? { policy } : {}) });
    return ok(undefined);
  };
  const threshold = (p: Float64Array): Uint8Array => Uint8Array.from(p, (v) => (v >= 0.5 ? 1 : 0));

  const plain = trainLogisticRegression(x.train.value, yTrain);
  const testScores = predictProbabilities(plain, x.test.value);
  let step = evaluate('none', threshold(testScores));
  if (!step.ok) return step;

  const rw = reweighing({ groups: data.train.value.groups, labels: yTrain });
  const reweighed = trainLogisticRegression(x.train.value, yTrain, rw.weights);
  step = evaluate('reweighing', threshold(predictProbabilities(reweighed, x.test.value)));
  if (!step.ok) return step;

  const heldOutScores = predictProbabilities(plain, x.heldOut.value);
  for (const constraint of ['demographic_parity', 'equalized_odds'] as const satisfies readonly ParityConstraint[]) {
    const policy = fitThresholdOptimizer(
      { groups: data.heldOut.value.groups, scores: heldOutScores, labels: yHeldOut },
      constraint,
    );
    if (!policy.ok) return policy;
    const predictions = applyThresholdPolicy(policy.value, { groups: test.groups, scores: testScores }, spec.seed ?? 1);
    if (!predictions.ok) return predictions;
    step = evaluate(`threshold_optimizer_${constraint}`, predictions.value, policy.value);
    if (!step.ok) return step;
  }
  return ok(rows);
}
