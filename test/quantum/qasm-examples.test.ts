/**
 * The example programs under examples/qasm compile and give their documented results.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { run } from './qasm-helpers.js';

function example(name: string): string {
  return readFileSync(new URL(`../../../examples/qasm/${name}.qasm`, import.meta.url), 'utf8');
}

function probability(probs: Readonly<Record<string, number>> | undefined, match: (k: string) => boolean): number {
  return Object.entries(probs ?? {})
    .filter(([k]) => match(k))
    .reduce((s, [, p]) => s + p, 0);
}

test('examples/qasm: bell, ghz, grover, qft, teleport', () => {
  const opts = { shots: 200, seed: 1, probabilities: true };
  const bell = run(example('bell'), opts);
  assert.ok(Math.abs(probability(bell.probabilities, (k) => k === '00') - 0.5) < 1e-12);
  const ghz = run(example('ghz'), opts);
  assert.ok(Math.abs(probability(ghz.probabilities, (k) => k === '11111') - 0.5) < 1e-12);
  const grover = run(example('grover'), opts);
  assert.ok(
    Math.abs(probability(grover.probabilities, (k) => k === '101') - Math.sin(5 * Math.asin(1 / Math.sqrt(8))) ** 2) <
      1e-12,
  );
  for (const basis of [0, 5, 15]) {
    const qft = run(example('qft'), opts, { basis });
    assert.deepEqual(qft.counts, { [basis.toString(2).padStart(4, '0')]: 200 });
  }
  const teleport = run(example('teleport'), opts);
  assert.ok(Math.abs(probability(teleport.probabilities, (k) => k.startsWith('1')) - Math.sin(0.15) ** 2) < 1e-12);
});
