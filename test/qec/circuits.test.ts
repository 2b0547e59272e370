/**
 * Stim circuits: the published benchmark circuits parse, the generator reproduces them line for line (they were
 * made by Stim's own generator), the error analysis turns them into graph-like DEMs, and bad circuits are
 * line-numbered diagnostics.
 */
/* eslint-disable @typescript-eslint/no-non-null-assertion -- test code reads arrays whose shape it asserted. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  buildMatchingGraph,
  circuitToDem,
  compileSampleOptions,
  formatDem,
  generateMemoryCircuit,
  parseDem,
  parseStimCircuit,
  uniformNoise,
} from '../../src/qec/index.js';
import { unwrap, vector } from './helpers.js';

test('the benchmark circuits parse and equal the generated rotated surface codes (d = 5, 9, 13, 17)', () => {
  for (const d of [5, 9, 13, 17]) {
    const text = vector(`circuits/surface_code_rotated_memory_x_${d}_0.001.stim`).toString('utf8');
    const c = unwrap(parseStimCircuit(text));
    const stabilisers = (d * d - 1) / 2;
    assert.equal(c.numDetectors, stabilisers * (d + 1) + (d - 1) * stabilisers, `d=${d} detectors`);
    assert.equal(c.numObservables, 1);
    const generated = generateMemoryCircuit({
      code: 'surface',
      basis: 'x',
      distance: d,
      rounds: d,
      noise: uniformNoise(0.001),
    });
    assert.equal(generated, text.trimEnd() + '\n', `d=${d}: generated text differs from Stim's`);
  }
});

test('circuit → DEM: graph-like, round-trips through DEM text, and an X error on a data qubit is one edge', () => {
  for (const code of ['surface', 'repetition'] as const) {
    for (const basis of ['x', 'z'] as const) {
      const text = generateMemoryCircuit({ code, basis, distance: 3, rounds: 3, noise: uniformNoise(0.001) });
      const c = unwrap(parseStimCircuit(text));
      const dem = unwrap(circuitToDem(c));
      for (const e of dem.errors) for (const cp of e.components) assert.ok(cp.detectors.length <= 2);
      const again = unwrap(parseDem(formatDem(dem)));
      assert.equal(again.errors.length, dem.errors.length);
      assert.equal(again.numDetectors, c.numDetectors);
      const graph = unwrap(buildMatchingGraph(again));
      assert.ok(graph.numEdges > 0);
      // Every detector can reach the boundary (planar codes).
      for (let v = 0; v < graph.numDetectors; v++) assert.ok(graph.boundaryDistance[v]! < graph.big, `${code} D${v}`);
    }
  }
  // Hand-checked: a flip before the final measurement of a 3-qubit repetition code.
  const rep = unwrap(
    circuitToDem(
      unwrap(
        parseStimCircuit(
          'R 0 1 2\nX_ERROR(0.25) 1\nM 0 1 2\nDETECTOR rec[-3] rec[-2]\nDETECTOR rec[-2] rec[-1]\nOBSERVABLE_INCLUDE(0) rec[-1]\n',
        ),
      ),
    ),
  );
  assert.deepEqual(
    rep.errors.map((e) => [e.probability, e.components.map((cp) => [cp.detectors, cp.observables])]),
    [[0.25, [[[0, 1], []]]]],
  );
});

test('bad circuits are diagnostics with their line', () => {
  const codes = (text: string): string[] => {
    const r = parseStimCircuit(text);
    if (r.ok) {
      const dem = circuitToDem(r.value);
      return dem.ok ? [] : dem.diagnostics.map((d) => `${d.line}:${d.code}`);
    }
    return r.diagnostics.map((d) => `${d.line}:${d.code}`);
  };
  assert.deepEqual(codes('R 0\nFOO 0\n'), ['2:unknown_instruction']);
  assert.deepEqual(codes('R 0\nM 0\nDETECTOR rec[-2]\n'), ['3:rec_out_of_range']);
  assert.deepEqual(codes('CX 0 1 2\n'), ['1:odd_targets']);
  assert.deepEqual(codes('CX 0 0\n'), ['1:bad_target']);
  assert.deepEqual(codes('X_ERROR(2) 0\n'), ['1:bad_probability']);
  assert.deepEqual(codes('REPEAT 3 {\nM 0\n'), ['1:unclosed_repeat']);
  assert.deepEqual(codes('H q0\n'), ['1:bad_target']);
  assert.deepEqual(codes('H 999999\n'), ['1:bad_target']);
  assert.deepEqual(codes('OBSERVABLE_INCLUDE(99) rec[-1]\n'), ['1:bad_argument']);
  assert.deepEqual(codes('R 0\nX_ERROR(0.1) 0\nM 0\nDETECTOR rec[-1]\nDETECTOR rec[-1]\nDETECTOR rec[-1]\n'), [
    '2:not_graphlike',
  ]);
  const huge = codes('REPEAT 100000 {\nREPEAT 100000 {\nTICK\n}\n}\n');
  assert.ok(huge[0]?.endsWith('too_large'), huge.join());
});

test('sampling options refuse experiments too large to hold', () => {
  const r = compileSampleOptions({ distance: '51', rounds: '10000' });
  assert.equal(r.ok, false);
  if (!r.ok) assert.match(r.diagnostics[0]!.message, /detectors; at most/);
  assert.equal(compileSampleOptions({ distance: '17', rounds: '17', p: '0.001' }).ok, true);
  assert.equal(compileSampleOptions({ colour: 'red' }).ok, false);
});
