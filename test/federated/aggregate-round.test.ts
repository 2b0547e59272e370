// One round's aggregation without heads: clipping bounds every update's norm, the noise on the average has
// standard deviation z * clip / m, FedAvg weights by sample count (capped), and secure aggregation gives the same
// average as the clear sum.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  aggregateRound,
  clipToNorm,
  compileFederatedConfig,
  l2Norm,
  seededRandom,
  type FederatedConfig,
} from '../../src/federated/index.js';

function config(raw: Record<string, unknown>): FederatedConfig {
  const c = compileFederatedConfig({ rounds: 1, ...raw }).config;
  assert.ok(c);
  return c;
}

test('clipping scales an update to the clip norm and leaves a small one alone', () => {
  const big = clipToNorm([3, 4], 1);
  assert.ok(big.clipped && Math.abs(l2Norm(big.values) - 1) < 1e-12 && l2Norm(big.values) <= 1);
  assert.deepEqual(Array.from(clipToNorm([0.3, 0.4], 1).values), [0.3, 0.4]);
});

test('the noise on the private average has standard deviation z * clip / m', async () => {
  const d = 20000;
  const cfg = config({
    clients: 4,
    parameters: d,
    aggregation: 'fedavg',
    privacy: { mechanism: 'gaussian', clip: 2, noise_multiplier: 1.5, delta: 1e-5 },
  });
  const reports = [0, 1, 2, 3].map((k) => ({ client: `c${k}`, update: new Array<number>(d).fill(0), samples: 10 }));
  const r = await aggregateRound(reports, {
    config: cfg,
    round: 1,
    roundId: 'n',
    noiseMultiplier: 1.5,
    random: seededRandom('noise'),
  });
  assert.ok(r.ok);
  let s = 0;
  let ss = 0;
  for (const v of r.delta) {
    s += v;
    ss += v * v;
  }
  const mean = s / d;
  const sd = Math.sqrt(ss / d - mean * mean);
  const want = (1.5 * 2) / 4;
  assert.ok(Math.abs(sd - want) < 0.03 * want, `sd ${sd}, want ${want}`);
  assert.ok(Math.abs(mean) < (4 * want) / Math.sqrt(d), `mean ${mean}`);
});

test('FedAvg weights by sample count, capped at max_weight; secure aggregation gives the same average', async () => {
  const reports = [
    { client: 'a', update: [1, -1, 0.5], samples: 1 },
    { client: 'b', update: [3, 1, -0.5], samples: 3 },
    { client: 'c', update: [2, 2, 2], samples: 1000 },
  ];
  const base = { clients: 3, parameters: 3, max_weight: 4, seed: 's' };
  const plain = await aggregateRound(reports, {
    config: config({ ...base, aggregation: 'fedavg' }),
    round: 1,
    roundId: 'p',
    noiseMultiplier: 0,
    random: seededRandom('p'),
  });
  const secure = await aggregateRound(reports, {
    config: config({ ...base, aggregation: 'secure_aggregation' }),
    round: 1,
    roundId: 's',
    noiseMultiplier: 0,
    random: seededRandom('s'),
  });
  assert.ok(plain.ok && secure.ok);
  // weights 1, 3, 4 (1000 capped): (1 + 9 + 8) / 8, (-1 + 3 + 8) / 8, (0.5 - 1.5 + 8) / 8
  const want = [18 / 8, 10 / 8, 7 / 8];
  for (let i = 0; i < 3; i++) {
    assert.ok(Math.abs((plain.delta[i] as number) - (want[i] as number)) < 1e-12);
    assert.ok(Math.abs((secure.delta[i] as number) - (want[i] as number)) < 1e-5);
  }
  assert.equal(secure.threshold, 3);
  assert.equal(secure.totalWeight, 8);
});
