#!/usr/bin/env node
// Prints the before/after table of docs/fairness.md: the mitigation experiment on UCI Adult (after `npm run
// build`). Usage: node scripts/fairness-adult.mjs [DATA_DIR] (default ../shared/data/adult beside the clone).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ADULT_EXPERIMENT, mitigationExperiment, parseTable, splitRows, textColumns } from '../dist/fairness/index.js';

const dir = process.argv[2] ?? fileURLToPath(new URL('../../shared/data/adult/', import.meta.url));
const load = (name) => {
  const table = parseTable(readFileSync(join(dir, name), 'utf8'), 'csv');
  if (!table.ok) throw new Error(`${name}: ${table.problem.message}`);
  return textColumns(table.value);
};
const [train, heldOut] = splitRows(load('adult.data'), 0.7, 19);
const result = mitigationExperiment({ train, heldOut, test: load('adult.test') }, ADULT_EXPERIMENT);
if (!result.ok) throw new Error(result.problem.message);
const f = (v, d = 4) => (v === null ? 'n/a' : v.toFixed(d));
const base = result.value[0].report.metrics.accuracy;
console.log(
  '| method | accuracy | accuracy cost | selection F / M | statistical parity diff. | disparate impact | demographic parity diff. | equal opportunity diff. | average odds diff. | equalized odds diff. |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const { method, report } of result.value) {
  const m = report.metrics;
  const rate = (g) => f(report.groups.find((x) => x.group === g)?.selection_rate ?? null, 3);
  console.log(
    `| ${method} | ${f(m.accuracy)} | ${f(base - m.accuracy)} | ${rate('Female')} / ${rate('Male')} | ${f(m.statistical_parity_difference)} | ${f(m.disparate_impact)} | ${f(m.demographic_parity_difference)} | ${f(m.equal_opportunity_difference)} | ${f(m.average_odds_difference)} | ${f(m.equalized_odds_difference)} |`,
  );
}
for (const { method, policy } of result.value)
  if (policy) console.log(`${method}: target ${JSON.stringify(policy.target)}; rules ${JSON.stringify(policy.rules)}`);
