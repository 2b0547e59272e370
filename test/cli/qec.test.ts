/**
 * `maml qec sample|decode|dem`: JSON shapes, the PyMatching golden vector through the CLI, round trips of
 * predictions, and bad input as line-numbered diagnostics (exit 1) or usage errors (exit 2).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { CLI } from '../helpers/paths.js';
import { runCli } from '../helpers/run-cli.js';
import { QEC_VECTORS } from '../qec/helpers.js';

test('qec sample --json reports the documented fields; same seed, same numbers', () => {
  const args = ['qec', 'sample', '--distance', '3', '--p', '0.01', '--shots', '2000', '--seed', '7', '--json'];
  const r = runCli(args);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout) as Record<string, unknown>;
  assert.deepEqual(Object.keys(j).sort(), ['ci95', 'decodeUsPerShot', 'errors', 'perRound', 'perShot', 'shots']);
  assert.equal(j['shots'], 2000);
  const errors = j['errors'] as number;
  assert.ok(errors > 60 && errors < 200, `d=3 p=1%: ${errors} errors in 2000 shots`);
  const [lo, hi] = j['ci95'] as [number, number];
  assert.ok(lo <= (j['perShot'] as number) && (j['perShot'] as number) <= hi);
  const again = JSON.parse(runCli(args).stdout) as Record<string, unknown>;
  assert.equal(again['errors'], errors);
  // Without decoding, far more shots fail: the decoder does something.
  const none = JSON.parse(runCli([...args, '--decoder', 'none']).stdout) as Record<string, unknown>;
  assert.ok((none['errors'] as number) > 2 * errors);
});

test('qec decode: the d=13 golden shots give 44 mistakes; predictions round-trip through --out', () => {
  const dem = join(QEC_VECTORS, 'surface_code_rotated_memory_x_13_0.01.dem');
  const shots = join(QEC_VECTORS, 'surface_code_rotated_memory_x_13_0.01_1000_shots.b8');
  const r = runCli(['qec', 'decode', '--dem', dem, '--in', shots, '--in-includes-appended-observables', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout) as { shots: number; mistakes: number };
  assert.equal(j.shots, 1000);
  assert.ok(j.mistakes >= 36 && j.mistakes <= 52, `mistakes ${j.mistakes}`);

  const dir = mkdtempSync(join(tmpdir(), 'maml-qec-'));
  const toric = join(QEC_VECTORS, 'toric_code_unrotated_memory_x_5_0.005.dem');
  const out = join(dir, 'pred.01');
  const t = runCli([
    'qec',
    'decode',
    '--dem',
    toric,
    '--in',
    join(QEC_VECTORS, 'toric_code_unrotated_memory_x_5_0.005_1000.b8'),
    '--in-includes-appended-observables',
    '--out',
    out,
    '--out-format',
    '01',
  ]);
  assert.equal(t.code, 0, t.stderr);
  const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
  assert.equal(lines.length, 1000);
  assert.ok(lines.every((l) => /^[01]+$/.test(l)));
});

test('qec dem prints a DEM that qec decode accepts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'maml-qec-'));
  const circuit = join(QEC_VECTORS, 'circuits/surface_code_rotated_memory_x_5_0.001.stim');
  const r = runCli(['qec', 'dem', '--circuit', circuit]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^error\(/);
  const demFile = join(dir, 'm.dem');
  writeFileSync(demFile, r.stdout);
  // 120 detectors: 15 bytes of zeros per shot, three shots → no observable flips.
  writeFileSync(join(dir, 'zeros.b8'), new Uint8Array(45));
  const d = runCli(['qec', 'decode', '--dem', demFile, '--in', join(dir, 'zeros.b8'), '--json']);
  assert.equal(d.code, 0, d.stderr);
  assert.deepEqual(JSON.parse(d.stdout), { shots: 3 });
});

test('qec: bad input is a diagnostic with a line (exit 1); bad options are usage errors (exit 2)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'maml-qec-'));
  writeFileSync(join(dir, 'bad.stim'), 'R 0\nM 0\nDETECTOR rec[-5]\n');
  const c = runCli(['qec', 'dem', '--circuit', 'bad.stim'], { cwd: dir });
  assert.equal(c.code, 1);
  assert.match(c.stderr, /bad\.stim:3:1 error rec_out_of_range/);
  writeFileSync(join(dir, 'm.dem'), 'error(0.1) D0 D1\nerror(0.1) D1\n');
  writeFileSync(join(dir, 's.b8'), new Uint8Array(3));
  const wrong = runCli(['qec', 'decode', '--dem', 'm.dem', '--in', 's.b8', '--in-includes-appended-observables'], {
    cwd: dir,
  });
  assert.equal(wrong.code, 0, 'one byte per shot: 3 bytes are 3 shots');
  writeFileSync(join(dir, 's.01'), '01\n1\n');
  const short = runCli(['qec', 'decode', '--dem', 'm.dem', '--in', 's.01', '--in-format', '01'], { cwd: dir });
  assert.equal(short.code, 1);
  assert.match(short.stderr, /s\.01:2:1 error wrong_length/);
  writeFileSync(join(dir, 'x.dem'), 'error(0.1) D0 D1 D2\n');
  const nonGraph = runCli(['qec', 'decode', '--dem', 'x.dem', '--in', 's.b8'], { cwd: dir });
  assert.equal(nonGraph.code, 1);
  assert.match(nonGraph.stderr, /x\.dem:1:1 error not_graphlike/);
  const usage = runCli(['qec', 'sample', '--distance', '4', '--p', '2']);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /odd distance/);
  assert.equal(runCli(['qec', 'frobnicate']).code, 2);
  const help = runCli(['qec', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /maml qec sample/);
});

test('a reader that stops early (maml qec dem … | head -n 1) ends maml quietly, not with an EPIPE crash', () => {
  const circuit = join(QEC_VECTORS, 'circuits/surface_code_rotated_memory_x_13_0.001.stim');
  // The shell gives maml's stdout to `head`, which exits after one line and closes the pipe under a large write.
  const r = spawnSync(
    'sh',
    ['-c', `"${process.execPath}" "${CLI}" qec dem --circuit "${circuit}" | head -n 1; echo "status $?"`],
    { encoding: 'utf8', timeout: 60_000 },
  );
  assert.match(r.stdout, /^error\(/);
  assert.doesNotMatch(r.stderr, /EPIPE|Unhandled|node:events/, r.stderr);
});
