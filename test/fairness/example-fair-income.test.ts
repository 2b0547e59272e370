// examples/fair-income.maml.md end to end through `maml run`, the data files given with --input-file: the
// gateway's fairness check passes (demographic parity difference on adult.test at most 0.02 after the
// threshold optimizer) and the report block sees the before/after numbers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, ROOT } from '../helpers/paths.js';
import { runCli } from '../helpers/run-cli.js';
import { sharedData } from '../helpers/shared-data.js';
import { NEEDS_BWRAP } from '../helpers/tools.js';

const train = sharedData('adult/adult.data');
const heldOut = sharedData('adult/adult.test');
const example = join(ROOT, 'examples', 'fair-income.maml.md');

test(
  'fair-income runs end to end and passes its fairness check',
  { skip: NEEDS_BWRAP || train.skip || heldOut.skip },
  () => {
    // Spawned here rather than with runCli: --json prints the 16,281-row columns, more than its output buffer.
    const dir = mkdtempSync(join(tmpdir(), 'maml-fair-income-'));
    const args = ['run', example, '--no-write', '--json', '--heads', 'ai:1', '--state-dir', join(dir, 'state')];
    args.push('--input-file', `train_csv=${train.path}`, '--input-file', `test_csv=${heldOut.path}`);
    const child = spawnSync(process.execPath, [CLI, ...args], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, MAML_KEYRING: join(dir, 'keyring'), NO_COLOR: '1' },
      timeout: 300_000,
    });
    const r = { code: child.status, stdout: child.stdout, stderr: child.stderr };
    assert.equal(r.code, 0, `${r.stderr}\n${r.stdout.slice(0, 2000)}`);
    const report = JSON.parse(r.stdout) as { status: string; outputs: Record<string, unknown> };
    assert.equal(report.status, 'succeeded');
    const before = report.outputs['before'] as Record<string, number>;
    const after = report.outputs['after'] as Record<string, number>;
    assert.ok((before['demographic_parity_difference'] as number) > 0.1);
    assert.ok((after['demographic_parity_difference'] as number) <= 0.02);
    assert.ok((after['accuracy'] as number) > 0.8);
    assert.equal(report.outputs['test_rows'], 16_281);
    const fairness = report.outputs['fairness_report'] as {
      passed: boolean;
      threshold_optimizer: { constraint: string };
    };
    assert.equal(fairness.passed, true);
    assert.equal(fairness.threshold_optimizer.constraint, 'demographic_parity');
  },
);

test('--input-file: a bad pair, a missing file and text that is not UTF-8 are usage errors', () => {
  const bad = runCli(['run', example, '--no-write', '--input-file', 'train_csv']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /write name=path/);
  const missing = runCli(['run', example, '--no-write', '--input-file', 'train_csv=/nonexistent/adult.data']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /cannot read \/nonexistent\/adult\.data/);
  const binary = runCli(['run', example, '--no-write', '--input-file', `train_csv=${process.execPath}`]);
  assert.equal(binary.code, 2);
  assert.match(binary.stderr, /not UTF-8 text|more than/);
});
