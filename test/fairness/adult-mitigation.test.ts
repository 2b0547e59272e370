// The mitigation experiment on UCI Adult (docs/fairness.md has the table): a logistic regression trained on 70%
// of adult.data, the threshold optimizer fitted on the other 30%, everything measured on adult.test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mitigationExperiment, parseTable, splitRows, textColumns, type Columns } from '../../src/fairness/index.js';
import { ADULT_EXPERIMENT } from '../../src/fairness/adult-features.js';
import { sharedData } from '../helpers/shared-data.js';

const train = sharedData('adult/adult.data');
const heldOut = sharedData('adult/adult.test');

function load(path: string): Columns {
  const table = parseTable(readFileSync(path, 'utf8'), 'csv');
  assert.ok(table.ok);
  return textColumns(table.value);
}

test('before and after on adult.test', { skip: train.skip || heldOut.skip }, () => {
  const [fit, held] = splitRows(load(train.path), 0.7, 19);
  const result = mitigationExperiment({ train: fit, heldOut: held, test: load(heldOut.path) }, ADULT_EXPERIMENT);
  assert.ok(result.ok, result.ok ? '' : result.problem.message);
  const by = new Map(result.value.map((r) => [r.method, r.report.metrics]));
  const none = by.get('none');
  const rw = by.get('reweighing');
  const dp = by.get('threshold_optimizer_demographic_parity');
  const eo = by.get('threshold_optimizer_equalized_odds');
  assert.ok(none && rw && dp && eo);
  // A sound model: about 85% accurate, and biased against women as the labels are.
  assert.ok((none.accuracy as number) > 0.84, `accuracy ${none.accuracy}`);
  assert.ok((none.statistical_parity_difference as number) < -0.1);
  // The bar: demographic parity difference below 0.02 on the test set.
  assert.ok((dp.demographic_parity_difference as number) < 0.02, `DP difference ${dp.demographic_parity_difference}`);
  // Reweighing halves the parity gap; the equalized-odds optimizer closes the error-rate gap.
  assert.ok(
    Math.abs(rw.statistical_parity_difference as number) < Math.abs(none.statistical_parity_difference as number) / 2,
  );
  assert.ok((eo.equalized_odds_difference as number) < (none.equalized_odds_difference as number) / 2);
  // The price in accuracy is small, and there is one.
  for (const after of [rw, dp, eo]) {
    const cost = (none.accuracy as number) - (after.accuracy as number);
    assert.ok(cost > 0 && cost < 0.04, `accuracy cost ${cost}`);
  }
});
