/**
 * Physics of record: sampled logical error rates of the rotated surface code (Z memory, rounds = d, all four
 * noise parameters = p) against Stim + PyMatching's table in test/vectors/qec/README.md. Below threshold
 * (p = 0.1%) distance 5 beats distance 3; above it (p = 1%) distance 5 is worse. Bounds: 4 standard deviations of
 * the shot noise plus 10% of the reference (our DEM decomposes some two-qubit errors differently from Stim's).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  buildMatchingGraph,
  circuitToDem,
  FrameSampler,
  generateMemoryCircuit,
  MwpmDecoder,
  parseStimCircuit,
  QecRng,
  uniformNoise,
} from '../../src/qec/index.js';
import { unwrap } from './helpers.js';

function logicalErrors(d: number, p: number, shots: number, seed: number): number {
  const text = generateMemoryCircuit({ code: 'surface', basis: 'z', distance: d, rounds: d, noise: uniformNoise(p) });
  const circuit = unwrap(parseStimCircuit(text));
  const decoder = new MwpmDecoder(unwrap(buildMatchingGraph(unwrap(circuitToDem(circuit)))));
  const sampler = new FrameSampler(circuit, 32);
  const rng = new QecRng(seed);
  let errors = 0;
  for (let done = 0; done < shots;) {
    const n = Math.min(sampler.batchShots, shots - done);
    const batch = sampler.sample(rng, n);
    for (let s = 0; s < n; s++)
      if (decoder.decodeEvents(batch.events[s] ?? []).observables !== batch.observables[s]) errors++;
    done += n;
  }
  return errors;
}

function near(observed: number, shots: number, reference: number, what: string): void {
  const expected = shots * reference;
  const bound = 4 * Math.sqrt(expected * (1 - reference)) + 0.1 * expected;
  assert.ok(
    Math.abs(observed - expected) <= bound,
    `${what}: ${observed} logical errors in ${shots} shots, reference ${expected.toFixed(1)} ± ${bound.toFixed(1)}`,
  );
}

test('below threshold (p = 0.1%): rates match the reference and d = 5 beats d = 3', () => {
  const shots = 60_000;
  const e3 = logicalErrors(3, 0.001, shots, 11);
  const e5 = logicalErrors(5, 0.001, shots, 12);
  near(e3, shots, 7.57e-4, 'd=3 p=0.001');
  near(e5, shots, 1.43e-4, 'd=5 p=0.001');
  assert.ok(e5 < e3, `d=5 (${e5}) must fail less than d=3 (${e3})`);
});

test('above threshold (p = 1%): rates match the reference and d = 5 is worse than d = 3', () => {
  const shots = 6_000;
  const e3 = logicalErrors(3, 0.01, shots, 21);
  const e5 = logicalErrors(5, 0.01, shots, 22);
  near(e3, shots, 6.0e-2, 'd=3 p=0.01');
  near(e5, shots, 8.3e-2, 'd=5 p=0.01');
  assert.ok(e5 > e3, `d=5 (${e5}) must fail more than d=3 (${e3})`);
});
