// The qsim text converter of the benchmark: Z-Y-Z angles must rebuild every one-qubit gate up to a global phase,
// controlled phases must carry qsim's sign, and a measured circuit ends in one `m` over every qubit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toQsimText, zyz } from '../../bench/qsim-format.js';
import { CircuitBuilder, H, mulMatrix, Rng, ryMatrix, rzMatrix, uMatrix, X } from '../../src/quantum/index.js';

/** Largest entry difference of a and b after removing the global phase that best aligns them. */
function phaseDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  // Phase from the largest entry of b.
  let k = 0;
  for (let i = 0; i < 4; i++)
    if (Math.hypot(b[2 * i] ?? 0, b[2 * i + 1] ?? 0) > Math.hypot(b[2 * k] ?? 0, b[2 * k + 1] ?? 0)) k = i;
  const ph = Math.atan2(a[2 * k + 1] ?? 0, a[2 * k] ?? 0) - Math.atan2(b[2 * k + 1] ?? 0, b[2 * k] ?? 0);
  const c = Math.cos(ph);
  const s = Math.sin(ph);
  let worst = 0;
  for (let i = 0; i < 4; i++) {
    const br = b[2 * i] ?? 0;
    const bi = b[2 * i + 1] ?? 0;
    worst = Math.max(
      worst,
      Math.abs((a[2 * i] ?? 0) - (c * br - s * bi)),
      Math.abs((a[2 * i + 1] ?? 0) - (c * bi + s * br)),
    );
  }
  return worst;
}

test('qsim format: Z-Y-Z angles rebuild one-qubit gates up to a global phase', () => {
  const rng = new Rng(3);
  const cases = [H, X, uMatrix(Math.PI, 0.3, 0.2), uMatrix(0, 0.7, 0.1)];
  for (let i = 0; i < 50; i++)
    cases.push(uMatrix(Math.PI * rng.next(), 2 * Math.PI * rng.next(), 2 * Math.PI * rng.next()));
  for (const m of cases) {
    const [a, b, g] = zyz(m);
    const rebuilt = mulMatrix(rzMatrix(a), mulMatrix(ryMatrix(b), rzMatrix(g)));
    assert.ok(phaseDistance(m, rebuilt) < 1e-12, `distance ${phaseDistance(m, rebuilt)}`);
  }
});

test('qsim format: gate lines, cp sign, final measurement', () => {
  const c = new CircuitBuilder(3, 3).h(0).cp(0.25, 0, 1).cz(1, 2).cx(2, 0).swap(0, 2).measureAll().build();
  const lines = toQsimText(c).trim().split('\n');
  assert.deepEqual(lines, [
    '3',
    '0 h 0',
    '1 cp 0 1 -0.25000000000000000',
    '2 cz 1 2',
    '3 cx 2 0',
    '4 sw 0 2',
    '5 m 0 1 2',
  ]);
  assert.throws(() => toQsimText(new CircuitBuilder(3).ccx(0, 1, 2).build()), /unsupported controlled gate ccx/);
});
