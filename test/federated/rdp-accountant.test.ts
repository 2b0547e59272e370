// The Rényi DP accountant of the sampled Gaussian mechanism against TensorFlow Privacy's published MNIST DP-SGD
// figures (q = 256/60000, delta = 1e-5, classic conversion), closed forms and its own two formulas.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { logErfc, noiseForEpsilon, privacySpent, rdpSampledGaussian } from '../../src/federated/index.js';
import { runCli } from '../cli/capture.js';

const Q = 256 / 60000;
/** TensorFlow Privacy counts steps as ceil(epochs * N / batch). */
const steps = (epochs: number): number => Math.ceil((epochs * 60000) / 256);

test('TensorFlow Privacy MNIST figures: 2.92 (z 1.12, 60 epochs) and 1.20 (z 1.2, 10 epochs)', () => {
  const a = privacySpent({ samplingRate: Q, noiseMultiplier: 1.12, steps: steps(60), delta: 1e-5 });
  assert.equal(a.epsilon.toFixed(2), '2.92');
  const c = privacySpent({ samplingRate: Q, noiseMultiplier: 1.2, steps: steps(10), delta: 1e-5 });
  assert.equal(c.epsilon.toFixed(2), '1.20');
  // z 0.6 for 30 epochs: the figure quoted as 9.74 comes out 9.753 at 7032 steps over these orders (9.751 over a
  // 0.01 grid of orders; 9.74 needs about 7008 steps), so the value of record here is 9.75.
  const b = privacySpent({ samplingRate: Q, noiseMultiplier: 0.6, steps: steps(30), delta: 1e-5 });
  assert.equal(b.epsilon.toFixed(2), '9.75');
  for (const s of [a, b, c]) assert.ok(s.epsilonTight < s.epsilon && s.epsilonTight > 0.75 * s.epsilon);
});

test("without sampling the RDP is the Gaussian mechanism's alpha / (2 z^2)", () => {
  for (const [z, alpha] of [
    [1, 2],
    [0.7, 7.5],
    [3, 64],
  ] as const)
    assert.ok(Math.abs(rdpSampledGaussian(1, z, alpha) - alpha / (2 * z * z)) < 1e-12);
  assert.equal(rdpSampledGaussian(0, 1, 4), 0);
});

test('the fractional-order series agrees with the integer-order binomial sum at integer orders', () => {
  for (const [q, z] of [
    [0.01, 1.1],
    [Q, 0.6],
    [0.1, 2],
  ] as const)
    for (const alpha of [2, 3, 8, 20]) {
      const exact = rdpSampledGaussian(q, z, alpha);
      const series = rdpSampledGaussian(q, z, alpha + 1e-9);
      assert.ok(Math.abs(series - exact) <= 1e-6 * Math.max(1e-9, exact), `q ${q} z ${z} alpha ${alpha}`);
    }
});

test('epsilon falls as noise grows; the noise for a target epsilon reaches it', () => {
  const eps = [0.8, 1, 1.5, 3].map(
    (z) => privacySpent({ samplingRate: 0.1, noiseMultiplier: z, steps: 100, delta: 1e-5 }).epsilon,
  );
  for (let i = 1; i < eps.length; i++) assert.ok((eps[i] as number) < (eps[i - 1] as number));
  const z = noiseForEpsilon({ samplingRate: Q, steps: steps(60), delta: 1e-5, targetEpsilon: 2.92 });
  assert.ok(z !== undefined && Math.abs(z - 1.12) < 0.002, `z ${z}`);
});

test('log erfc is accurate in the body and the far tail', () => {
  for (const [x, v] of [
    [0, 1],
    [1, 0.157299207050285],
    [3, 2.20904969985854e-5],
    [10, 2.08848758376254e-45],
    [-1, 1.842700792949715],
  ] as const)
    assert.ok(Math.abs(logErfc(x) - Math.log(v)) < 2e-7, `x ${x}`);
  // Far tail against the asymptotic series erfc(x) ~ exp(-x^2) / (x sqrt(pi)) (1 - 1/(2x^2) + 3/(4x^4)).
  const x = 40;
  const asymptotic = -x * x - Math.log(x * Math.sqrt(Math.PI)) + Math.log(1 - 1 / (2 * x * x) + 3 / (4 * x ** 4));
  assert.ok(Math.abs(logErfc(x) - asymptotic) < 1e-6);
});

test('maml privacy epsilon prints both conversions as JSON, and the noise for a target', async () => {
  const r = await runCli([
    'privacy',
    'epsilon',
    '--sampling-rate',
    String(Q),
    '--noise-multiplier',
    '1.12',
    '--steps',
    '14063',
    '--delta',
    '1e-5',
    '--json',
  ]);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout) as { epsilon: number; epsilonTight: number; order: number };
  assert.equal(j.epsilon.toFixed(2), '2.92');
  assert.ok(j.epsilonTight < j.epsilon && j.order > 1);
  const t = await runCli([
    'privacy',
    'epsilon',
    '--sampling-rate',
    '0.1',
    '--steps',
    '50',
    '--delta',
    '1e-5',
    '--target-epsilon',
    '2',
  ]);
  assert.equal(t.code, 0);
  assert.match(
    t.stdout,
    /^noise multiplier \d+\.\d{4} gives epsilon 1\.99\d\d|^noise multiplier \d+\.\d{4} gives epsilon 2\.0000/,
  );
});

test('maml privacy epsilon refuses bad input with usage errors', async () => {
  const base = ['privacy', 'epsilon', '--steps', '10', '--delta', '1e-5'];
  for (const extra of [
    ['--sampling-rate', '1.5', '--noise-multiplier', '1'],
    ['--sampling-rate', 'abc', '--noise-multiplier', '1'],
    ['--sampling-rate', '0.1'],
    ['--sampling-rate', '0.1', '--noise-multiplier', '1', '--target-epsilon', '1'],
    ['--sampling-rate', '0.1', '--noise-multiplier', '-1'],
  ]) {
    const r = await runCli([...base, ...extra]);
    assert.equal(r.code, 2, extra.join(' '));
  }
  assert.equal(
    (
      await runCli([
        'privacy',
        'epsilon',
        '--sampling-rate',
        '0.1',
        '--noise-multiplier',
        '1',
        '--steps',
        '1.5',
        '--delta',
        '1e-5',
      ])
    ).code,
    2,
  );
  assert.equal((await runCli(['privacy', 'budget'])).code, 2);
});
