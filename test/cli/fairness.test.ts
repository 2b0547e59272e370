// `maml fairness report` through the CLI: the Adult reference numbers in --json under their snake_case names,
// reweighing weights, intersections, JSON lines, and bad input as exit 2 with the column and row in the message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './capture.js';
import { sharedData } from '../helpers/shared-data.js';

const adult = sharedData('adult/adult.data');
const dir = mkdtempSync(join(tmpdir(), 'maml-fairness-'));
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

test('--json on adult.data: the reference metrics and reweighing weights by name', { skip: adult.skip }, async () => {
  const r = await runCli([
    'fairness',
    'report',
    adult.path,
    '--protected',
    'sex',
    '--unprivileged',
    'Female',
    '--label',
    'Y',
    '--favourable',
    '>50K',
    '--mitigate',
    'reweighing',
    '--json',
  ]);
  assert.equal(r.code, 0, r.stderr);
  const json = JSON.parse(r.stdout) as {
    rows: number;
    metrics: Record<string, number | null>;
    reweighing: { group: string; label: number; factor: number }[];
    privileged: string[];
  };
  assert.equal(json.rows, 32_561);
  assert.deepEqual(json.privileged, ['Male']);
  assert.equal(json.metrics['statistical_parity_difference']?.toFixed(6), '-0.196276');
  assert.equal(json.metrics['disparate_impact']?.toFixed(4), '0.3580');
  assert.equal(json.metrics['equal_opportunity_difference'], null);
  assert.deepEqual(
    json.reweighing.map((c) => [c.group, c.label, c.factor.toFixed(4)]),
    [
      ['Male', 0, '1.0935'],
      ['Male', 1, '0.7876'],
      ['Female', 0, '0.8525'],
      ['Female', 1, '2.2000'],
    ],
  );
});

test('predictions against labels, weights and an intersection, as a text table', async () => {
  const csv = file(
    'preds.csv',
    'sex,race,pred,y,w\nF,B,1,1,1\nF,B,0,1,1\nF,W,1,0,2\nM,B,1,1,1\nM,W,0,0,1\nM,W,1,1,1\n',
  );
  const r = await runCli([
    'fairness',
    'report',
    csv,
    '--protected',
    'sex',
    '--protected',
    'race',
    '--unprivileged',
    'F × B',
    '--prediction',
    'pred',
    '--label',
    'y',
    '--weight',
    'w',
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^F × B\s+unprivileged\s+2\s+0\.5000\s+0\.5000\s+n\/a/m);
  // unprivileged 1/2 selected, privileged (weights 2+1+1+1) 4/5
  assert.match(r.stdout, /statistical_parity_difference\s+-0\.300000/);
  assert.match(r.stdout, /equalized_odds_difference\s+/);
});

test('JSON lines, by extension', async () => {
  const jsonl = file('preds.jsonl', '{"sex":"F","pred":true}\n{"sex":"M","pred":false}\n{"sex":"M","pred":true}\n');
  const r = await runCli([
    'fairness',
    'report',
    jsonl,
    '--protected',
    'sex',
    '--unprivileged',
    'F',
    '--prediction',
    'pred',
    '--json',
  ]);
  assert.equal(r.code, 0, r.stderr);
  const json = JSON.parse(r.stdout) as { metrics: Record<string, number> };
  assert.equal(json.metrics['statistical_parity_difference'], 0.5);
});

test('bad data: exit 2 and the column and row named', async () => {
  const csv = file('bad.csv', 'sex,pred\nF,1\nM,0\nM,NaN\n');
  const nan = await runCli([
    'fairness',
    'report',
    csv,
    '--protected',
    'sex',
    '--unprivileged',
    'F',
    '--prediction',
    'pred',
  ]);
  assert.equal(nan.code, 2);
  assert.match(nan.stderr, /column "pred", row 3, line 4: "NaN" is not a value/);
  const missing = await runCli([
    'fairness',
    'report',
    csv,
    '--protected',
    'gender',
    '--unprivileged',
    'F',
    '--prediction',
    'pred',
  ]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /column "gender": there is no such column/);
  const empty = await runCli([
    'fairness',
    'report',
    file('good.csv', 'sex,pred\nF,1\nM,0\n'),
    '--protected',
    'sex',
    '--unprivileged',
    'X',
    '--prediction',
    'pred',
  ]);
  assert.equal(empty.code, 2);
  assert.match(empty.stderr, /no row belongs to the group "X"/);
});

test('usage errors and limits', async () => {
  const csv = file('ok.csv', 'sex,pred\nF,1\nM,0\n');
  assert.equal((await runCli(['fairness', 'report', csv, '--unprivileged', 'F', '--prediction', 'pred'])).code, 2);
  assert.equal((await runCli(['fairness', 'report', csv, '--protected', 'sex', '--prediction', 'pred'])).code, 2);
  assert.equal((await runCli(['fairness', 'report', csv, '--protected', 'sex', '--unprivileged', 'F'])).code, 2);
  assert.equal((await runCli(['fairness', 'summary', csv])).code, 2);
  const mitigate = await runCli([
    'fairness',
    'report',
    csv,
    '--protected',
    'sex',
    '--unprivileged',
    'F',
    '--prediction',
    'pred',
    '--mitigate',
    'reweighing',
  ]);
  assert.equal(mitigate.code, 2);
  assert.match(mitigate.stderr, /needs the label column/);
  const big = await runCli([
    'fairness',
    'report',
    csv,
    '--protected',
    'sex',
    '--unprivileged',
    'F',
    '--prediction',
    'pred',
    '--max-bytes',
    '5',
  ]);
  assert.equal(big.code, 2);
  assert.match(big.stderr, /more than --max-bytes 5/);
  const help = await runCli(['fairness', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /statistical_parity_difference/);
});
