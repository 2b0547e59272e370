// Bad data gives a problem naming the column and the row (and the file line), never a number: a missing column,
// an empty group, labels that are not binary, NaN and empty cells, bad weights, malformed CSV and JSON lines;
// and hostile sizes stay linear.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  fairnessReport,
  parseTable,
  problemText,
  sampleFromColumns,
  textColumns,
  type ColumnSpec,
  type DataProblem,
} from '../../src/fairness/index.js';

function run(
  csv: string,
  spec: ColumnSpec,
  unprivileged = ['F'],
  format: 'csv' | 'jsonl' = 'csv',
): DataProblem | undefined {
  const table = parseTable(csv, format);
  if (!table.ok) return table.problem;
  const sample = sampleFromColumns(textColumns(table.value), spec);
  if (!sample.ok) return sample.problem;
  const report = fairnessReport(sample.value, { unprivileged }, spec.protected.join(' × '));
  return report.ok ? undefined : report.problem;
}

const spec: ColumnSpec = { protected: ['sex'], prediction: 'pred', label: 'y', favourable: ['yes'] };

test('a well-formed file gives no problem', () => {
  assert.equal(run('sex,pred,y\nF,yes,no\nM,no,yes\n', spec), undefined);
});

test('a missing column names itself and lists the columns', () => {
  const p = run('sex,prediction,y\nF,yes,no\n', spec);
  assert.equal(p?.code, 'missing_column');
  assert.equal(p?.column, 'pred');
  assert.match(
    problemText(p as DataProblem),
    /column "pred": there is no such column; the columns are "sex", "prediction", "y"/,
  );
});

test('a group with no members', () => {
  const p = run('sex,pred,y\nF,yes,no\nM,no,yes\n', spec, ['f']);
  assert.equal(p?.code, 'empty_group');
  assert.equal(p?.column, 'sex');
});

test('labels that are not binary: the row of the third value', () => {
  const p = run('sex,pred,y\nF,yes,no\nM,no,yes\nM,no,maybe\n', spec);
  assert.equal(p?.code, 'not_binary');
  assert.equal(p?.column, 'y');
  assert.equal(p?.row, 3);
  assert.equal(p?.line, 4);
  assert.match(p?.message ?? '', /"maybe" is a third value/);
  // Without --favourable, only 0/1 or true/false are understood.
  const q = run('sex,pred\nF,yes\nM,no\n', { protected: ['sex'], prediction: 'pred' });
  assert.equal(q?.code, 'not_binary');
  assert.match(q?.message ?? '', /--favourable/);
  // Scores where labels belong are refused, not thresholded.
  const r = run('sex,pred\nF,0.2\nM,0.9\nM,1\n', { protected: ['sex'], prediction: 'pred' });
  assert.equal(r?.code, 'not_binary');
});

test('NaN and empty cells name the column and row', () => {
  const nan = run('sex,pred\nF,1\nM,NaN\n', { protected: ['sex'], prediction: 'pred' });
  assert.equal(nan?.code, 'not_a_number');
  assert.deepEqual([nan?.column, nan?.row], ['pred', 2]);
  const empty = run('sex,pred\nF,1\n,0\n', { protected: ['sex'], prediction: 'pred' });
  assert.deepEqual([empty?.code, empty?.column, empty?.row], ['not_a_number', 'sex', 2]);
});

test('weights must be finite and not negative', () => {
  for (const bad of ['-1', 'x', 'Infinity', '']) {
    const p = run(`sex,pred,w\nF,1,1\nM,0,${bad}\n`, { protected: ['sex'], prediction: 'pred', weight: 'w' });
    assert.deepEqual([p?.code, p?.column, p?.row], ['bad_weight', 'w', 2], bad);
  }
});

test('malformed CSV: ragged rows, an unclosed quote, an empty file, a duplicate header', () => {
  const ragged = run('sex,pred\nF,1\nM,0,extra\n', { protected: ['sex'], prediction: 'pred' });
  assert.deepEqual([ragged?.code, ragged?.row, ragged?.line], ['bad_row', 2, 3]);
  const quote = run('sex,pred\nF,1\n"M,0\n', { protected: ['sex'], prediction: 'pred' });
  assert.deepEqual([quote?.code, quote?.line], ['bad_row', 3]);
  assert.equal(run('', { protected: ['sex'], prediction: 'pred' })?.code, 'no_rows');
  assert.equal(run('sex,pred\n', { protected: ['sex'], prediction: 'pred' })?.code, 'no_rows');
  assert.equal(run('sex,sex\nF,1\n', { protected: ['sex'], prediction: 'sex' })?.code, 'bad_row');
});

test('quoted fields keep commas, quotes and spaces; CRLF and a BOM are read', () => {
  const table = parseTable('\uFEFFa,b\r\n"x, ""y""", z \r\n', 'csv');
  assert.ok(table.ok);
  assert.deepEqual(table.value.header, ['a', 'b']);
  assert.deepEqual(table.value.rows, [['x, "y"', 'z']]);
});

test('JSON lines: objects only, cells scalar', () => {
  assert.equal(
    run('{"sex":"F","pred":1}\n{"sex":"M","pred":0}\n', { protected: ['sex'], prediction: 'pred' }, ['F'], 'jsonl'),
    undefined,
  );
  const notObject = run('{"sex":"F","pred":1}\n[1]\n', { protected: ['sex'], prediction: 'pred' }, ['F'], 'jsonl');
  assert.deepEqual([notObject?.code, notObject?.row, notObject?.line], ['bad_row', 2, 2]);
  const nested = run('{"sex":{"a":1},"pred":1}\n', { protected: ['sex'], prediction: 'pred' }, ['F'], 'jsonl');
  assert.deepEqual([nested?.code, nested?.column], ['bad_row', 'sex']);
  const broken = run('{"sex":"F",\n', { protected: ['sex'], prediction: 'pred' }, ['F'], 'jsonl');
  assert.equal(broken?.code, 'bad_row');
  // A key missing from a line is an empty cell, refused where the column is used.
  const gap = run('{"sex":"F","pred":1}\n{"sex":"M"}\n', { protected: ['sex'], prediction: 'pred' }, ['F'], 'jsonl');
  assert.deepEqual([gap?.code, gap?.column, gap?.row], ['not_a_number', 'pred', 2]);
});

test('hostile sizes: a million-character field and a hundred thousand quoted lines parse in linear time', () => {
  const long = parseTable(`a,b\n${'x'.repeat(1_000_000)},1\n`, 'csv');
  assert.ok(long.ok);
  const many = parseTable(`a,b\n${'"q""q",1\n'.repeat(100_000)}`, 'csv');
  assert.ok(many.ok);
  assert.equal(many.value.rows.length, 100_000);
  const open = parseTable(`a,b\n"${'x\n'.repeat(100_000)}`, 'csv');
  assert.ok(!open.ok);
});
