// Tests of record: the UCI Adult files and the reference values in ../shared/data/README.md (AIF360's
// definitions on protected attribute sex, unprivileged Female, favourable >50K), and Kamiran–Calders reweighing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  fairnessReport,
  parseTable,
  reweighing,
  sampleFromColumns,
  textColumns,
  type BinarySample,
} from '../../src/fairness/index.js';
import { sharedData } from '../helpers/shared-data.js';

const train = sharedData('adult/adult.data');
const heldOut = sharedData('adult/adult.test');

function labelSample(path: string, favourable: string): BinarySample {
  const table = parseTable(readFileSync(path, 'utf8'), 'csv');
  assert.ok(table.ok, table.ok ? '' : table.problem.message);
  const sample = sampleFromColumns(textColumns(table.value), {
    protected: ['sex'],
    label: 'Y',
    favourable: [favourable],
  });
  assert.ok(sample.ok, sample.ok ? '' : sample.problem.message);
  return sample.value;
}

test(
  'adult.data: statistical parity difference −0.196276 and disparate impact 0.3580 of the labels',
  { skip: train.skip },
  () => {
    const sample = labelSample(train.path, '>50K');
    const report = fairnessReport(sample, { unprivileged: ['Female'] });
    assert.ok(report.ok);
    assert.equal(report.value.rows, 32_561);
    const female = report.value.groups.find((g) => g.group === 'Female');
    const male = report.value.groups.find((g) => g.group === 'Male');
    assert.equal(female?.rows, 10_771);
    assert.equal(male?.rows, 21_790);
    assert.equal(female?.selection_rate, 1179 / 10_771);
    assert.equal(male?.selection_rate, 6662 / 21_790);
    assert.equal(report.value.metrics.statistical_parity_difference?.toFixed(6), '-0.196276');
    assert.equal(report.value.metrics.disparate_impact?.toFixed(4), '0.3580');
  },
);

test('adult.test: −0.190980 and 0.3630 (labels spelled ">50K.")', { skip: heldOut.skip }, () => {
  const report = fairnessReport(labelSample(heldOut.path, '>50K.'), { unprivileged: ['Female'] });
  assert.ok(report.ok);
  assert.equal(report.value.rows, 16_281);
  assert.equal(report.value.metrics.statistical_parity_difference?.toFixed(6), '-0.190980');
  assert.equal(report.value.metrics.disparate_impact?.toFixed(4), '0.3630');
});

test('reweighing on adult.data: the four weights, and parity under them', { skip: train.skip }, () => {
  const sample = labelSample(train.path, '>50K');
  const labels = sample.predictions;
  const rw = reweighing({ groups: sample.groups, labels });
  const factor = (group: string, label: 0 | 1): string | undefined =>
    rw.cells.find((c) => c.group === group && c.label === label)?.factor.toFixed(4);
  assert.equal(factor('Male', 0), '1.0935');
  assert.equal(factor('Male', 1), '0.7876');
  assert.equal(factor('Female', 0), '0.8525');
  assert.equal(factor('Female', 1), '2.2000');
  const after = fairnessReport(
    { groups: sample.groups, predictions: labels, weights: rw.weights },
    { unprivileged: ['Female'] },
  );
  assert.ok(after.ok);
  const spd = after.value.metrics.statistical_parity_difference as number;
  assert.ok(Math.abs(spd) <= 1e-9, `weighted statistical parity difference ${spd}`);
  // The total weight is kept: reweighing moves weight between cells, it does not add any.
  const total = rw.weights.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(total - 32_561) < 1e-6);
});
