/**
 * The decoder's tests of record: PyMatching's own vectors. On a distance-13, 13-round surface code at p = 1% every
 * shot's matching weight must equal PyMatching v0.7's exact minimum weight, and the predictions must make about
 * as many logical mistakes as PyMatching v2 (44 of 1,000; an equal-weight matching may move it by a few).
 */
/* eslint-disable @typescript-eslint/no-non-null-assertion -- test code reads arrays whose shape it asserted. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MwpmDecoder, readShots } from '../../src/qec/index.js';
import { loadDem, unwrap, vector } from './helpers.js';

function decodeFile(demName: string, shotsName: string): { weights: number[]; mistakes: number; shots: number } {
  const { dem, graph } = loadDem(demName);
  const table = unwrap(readShots(vector(shotsName), 'b8', dem.numDetectors + dem.numObservables));
  const decoder = new MwpmDecoder(graph);
  const weights: number[] = [];
  let mistakes = 0;
  for (let s = 0; s < table.shots; s++) {
    const row = table.bits.subarray(s * table.width, (s + 1) * table.width);
    const r = decoder.decode(row.subarray(0, dem.numDetectors));
    assert.ok(r.matched, `shot ${s}: every detection event must be matched`);
    let actual = 0;
    for (let k = 0; k < dem.numObservables; k++) actual |= row[dem.numDetectors + k]! << k;
    if (actual !== r.observables) mistakes++;
    weights.push(r.weight);
  }
  return { weights, mistakes, shots: table.shots };
}

test('surface code d=13 p=1%: every shot has PyMatching v0.7 exact weight; mistakes near 44/1000', () => {
  const name = 'surface_code_rotated_memory_x_13_0.01';
  const exact = vector(`${name}_1000_shots_no_buckets_weights_pymatchingv0.7_exact.txt`)
    .toString('utf8')
    .trim()
    .split('\n')
    .map(Number);
  const { weights, mistakes, shots } = decodeFile(`${name}.dem`, `${name}_1000_shots.b8`);
  assert.equal(shots, 1000);
  assert.equal(exact.length, 1000);
  let worst = 0;
  for (let s = 0; s < shots; s++) {
    const diff = Math.abs(weights[s]! - exact[s]!);
    worst = Math.max(worst, diff / Math.max(1, exact[s]!));
    assert.ok(diff <= 1e-6 * Math.max(1, exact[s]!), `shot ${s}: weight ${weights[s]} but exact ${exact[s]}`);
  }
  assert.ok(mistakes >= 36 && mistakes <= 52, `mistakes ${mistakes}, PyMatching v2 makes 44`);
});

test('toric code (no boundary) and negative-weight DEMs decode every shot', () => {
  const toric = decodeFile(
    'toric_code_unrotated_memory_x_5_0.005.dem',
    'toric_code_unrotated_memory_x_5_0.005_1000.b8',
  );
  assert.equal(toric.shots, 1000);
  // p = 0.5% on a distance-5 toric code: logical failures are rare.
  assert.ok(toric.mistakes < 30, `toric mistakes ${toric.mistakes}`);
  const neg = decodeFile('negative_weight_circuit.dem', 'negative_weight_circuit_1000.b8');
  assert.equal(neg.shots, 1000);
  // Detector D0 fires with p = 0.6 together with L0; the MWPM prediction is then L0 flipped unless D0 is silent.
  assert.ok(neg.mistakes < 600, `negative-weight mistakes ${neg.mistakes}`);
});
