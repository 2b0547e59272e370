// Secure aggregation (Bonawitz et al. 2017): the unmasked sum equals the plain sum with 0, 1 and n - t dropouts
// at every step, fewer than t survivors abort, a masked vector looks uniform, bad vectors are excluded by name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeSum,
  encodeUpdate,
  fixedPointCodec,
  runSecureRound,
  SecAggClient,
  SecAggServer,
  seededRandom,
  type FixedPointCodec,
  type RoundClient,
  type SharesFor,
} from '../../src/federated/index.js';

const N = 8;
const T = 5;
const DIM = 300;

function codec(): FixedPointCodec {
  const c = fixedPointCodec({ range: 2, clients: N, maxWeight: 100 });
  assert.ok(typeof c !== 'string', String(c));
  return c;
}

function updates(seed: string): RoundClient[] {
  const random = seededRandom(seed);
  return Array.from({ length: N }, (_, k) => {
    const bytes = random(DIM);
    const update = Array.from(bytes, (b) => (b / 255) * 4 - 2);
    return { id: `client-${String.fromCharCode(97 + k)}`, update, weight: 1 + k * 7 };
  });
}

function plainSum(clients: readonly RoundClient[], ids: readonly string[]): { values: number[]; weight: number } {
  const values = new Array<number>(DIM).fill(0);
  let weight = 0;
  for (const c of clients) {
    if (!ids.includes(c.id)) continue;
    weight += c.weight;
    for (let i = 0; i < DIM; i++) values[i] = (values[i] as number) + c.weight * (c.update[i] as number);
  }
  return { values, weight };
}

async function checkRound(clients: RoundClient[], expectIncluded: number): Promise<void> {
  const cdc = codec();
  const result = await runSecureRound({ round: 'r1', threshold: T, codec: cdc, clients, random: seededRandom('k') });
  assert.ok(result.ok, result.ok ? '' : result.message);
  assert.equal(result.included.length, expectIncluded);
  const { values, totalWeight } = decodeSum(cdc, result.sum);
  const want = plainSum(clients, result.included);
  assert.equal(totalWeight, want.weight);
  // Each term is rounded to 1/scale; the sum is off by at most N / (2 scale).
  const tolerance = N / (2 * cdc.scale) + 1e-12;
  for (let i = 0; i < DIM; i++) assert.ok(Math.abs((values[i] as number) - (want.values[i] as number)) <= tolerance);
}

test('with no dropout the unmasked sum is the plain weighted sum', async () => {
  await checkRound(updates('a'), N);
});

test("one client dropping after sharing keys (no masked input) is unmasked from the others' shares", async () => {
  const clients = updates('b');
  clients[3] = { ...(clients[3] as RoundClient), dropAfter: 'share_keys' };
  await checkRound(clients, N - 1);
});

test('n - t dropouts spread over every step still give the exact sum of the survivors', async () => {
  const clients = updates('c');
  clients[0] = { ...(clients[0] as RoundClient), dropAfter: 'advertise_keys' };
  clients[4] = { ...(clients[4] as RoundClient), dropAfter: 'share_keys' };
  clients[6] = { ...(clients[6] as RoundClient), dropAfter: 'share_keys' };
  await checkRound(clients, N - 3);
});

test('clients that send a masked input and then drop before unmasking are still summed', async () => {
  const clients = updates('d');
  clients[1] = { ...(clients[1] as RoundClient), dropAfter: 'masked_input' };
  clients[2] = { ...(clients[2] as RoundClient), dropAfter: 'masked_input' };
  clients[5] = { ...(clients[5] as RoundClient), dropAfter: 'share_keys' };
  await checkRound(clients, N - 1);
});

test('fewer than t survivors abort the round with a clear error at the step where it happened', async () => {
  const clients = updates('e').map((c, k) => (k < N - T + 1 ? { ...c, dropAfter: 'share_keys' as const } : c));
  const result = await runSecureRound({ round: 'r', threshold: T, codec: codec(), clients });
  assert.equal(result.ok, false);
  if (result.ok) return;
  assert.equal(result.code, 'too_few_clients');
  assert.equal(result.step, 'masked_input');
  assert.match(result.message, /only 4 client\(s\) sent a valid masked input, fewer than the threshold t = 5/);

  const unmask = updates('f').map((c, k) => (k < N - T + 1 ? { ...c, dropAfter: 'masked_input' as const } : c));
  const late = await runSecureRound({ round: 'r', threshold: T, codec: codec(), clients: unmask });
  assert.ok(!late.ok && late.code === 'too_few_clients' && late.step === 'unmask');
});

test('an out-of-range or non-finite update is withdrawn and named; the rest are summed', async () => {
  const clients = updates('g');
  clients[2] = {
    ...(clients[2] as RoundClient),
    update: Array.from((clients[2] as RoundClient).update).fill(2.5, 7, 8),
  };
  clients[5] = {
    ...(clients[5] as RoundClient),
    update: Array.from((clients[5] as RoundClient).update).fill(NaN, 0, 1),
  };
  const cdc = codec();
  const result = await runSecureRound({ round: 'r', threshold: T, codec: cdc, clients });
  assert.ok(result.ok);
  assert.deepEqual(
    result.excluded.map((e) => [e.client, e.code]),
    [
      ['client-c', 'out_of_range'],
      ['client-f', 'not_finite'],
    ],
  );
  assert.match(result.excluded[0]?.message ?? '', /client-c: coordinate 7 is 2.5, outside \[-2, 2\]/);
  assert.equal(decodeSum(cdc, result.sum).totalWeight, plainSum(clients, result.included).weight);
});

test('a masked vector of the wrong length is excluded and named, and its masks are removed as for a dropout', async () => {
  const cdc = codec();
  const clients = updates('h');
  const server = new SecAggServer({ round: 'w', threshold: T, vectorLength: DIM + 1 });
  const agents = clients.map((c) => new SecAggClient(c.id, seededRandom(c.id)));
  const roster = server.receiveKeys(agents.map((a) => a.advertise()));
  assert.ok(roster.ok);
  const relayed = server.receiveShares(await Promise.all(agents.map((a) => a.shareKeys(roster.value))));
  assert.ok(relayed.ok);
  const masked = relayed.value.map((s, k) => {
    const m = (agents[k] as SecAggClient).maskInput(s, cdc, (clients[k] as RoundClient).update, 1);
    return k === 3 && m.type === 'masked_input' ? { ...m, masked: m.masked.subarray(0, DIM - 10) } : m;
  });
  const request = server.receiveMasked(masked);
  assert.ok(request.ok);
  assert.equal(request.value.survivors.includes('client-d'), false);
  const result = await server.finish(agents.map((a) => a.unmask(request.value)).filter((r) => r.client !== 'client-d'));
  assert.ok(result.ok);
  assert.deepEqual(result.excluded, [
    {
      client: 'client-d',
      code: 'wrong_length',
      message: 'client-d sent a masked vector of 290 words; the round expects 301',
    },
  ]);
  const { values } = decodeSum(cdc, result.sum);
  const want = plainSum(
    clients.map((c) => ({ ...c, weight: 1 })),
    result.included,
  );
  for (let i = 0; i < DIM; i++) assert.ok(Math.abs((values[i] as number) - (want.values[i] as number)) < 1e-5);
});

test('a single masked update is statistically indistinguishable from uniform noise', async () => {
  // The most recognisable input: all zeros but a ramp. Its masked form must look uniform over 2^32 (chi-square on
  // the top byte) and carry no trace of the ramp (correlation near 0).
  const dim = 20000;
  const cdc = fixedPointCodec({ range: 1, clients: 3, maxWeight: 1 });
  assert.ok(typeof cdc !== 'string');
  const ramp = Array.from({ length: dim }, (_, i) => (i % 100) / 100);
  const server = new SecAggServer({ round: 's', threshold: 2, vectorLength: dim + 1 });
  const agents = ['a', 'b', 'c'].map((id) => new SecAggClient(id, seededRandom(`stat-${id}`)));
  const roster = server.receiveKeys(agents.map((a) => a.advertise()));
  assert.ok(roster.ok);
  const relayed = server.receiveShares(await Promise.all(agents.map((a) => a.shareKeys(roster.value))));
  assert.ok(relayed.ok);
  const mine = (agents[0] as SecAggClient).maskInput(relayed.value[0] as SharesFor, cdc, ramp, 1);
  assert.equal(mine.type, 'masked_input');
  if (mine.type !== 'masked_input') return;
  const plain = encodeUpdate(cdc, ramp, 1);
  assert.ok(plain.ok);
  const buckets = new Array<number>(256).fill(0);
  for (let i = 0; i < dim; i++)
    buckets[(mine.masked[i] as number) >>> 24] = (buckets[(mine.masked[i] as number) >>> 24] as number) + 1;
  const expected = dim / 256;
  const chi2 = buckets.reduce((s, b) => s + (b - expected) ** 2 / expected, 0);
  // 255 degrees of freedom: the 99.9th percentile is about 330.5.
  assert.ok(chi2 < 330.5, `chi-square ${chi2}`);
  // The plain vector itself fails the same test badly.
  const plainBuckets = new Array<number>(256).fill(0);
  for (let i = 0; i < dim; i++)
    plainBuckets[(plain.value[i] as number) >>> 24] = (plainBuckets[(plain.value[i] as number) >>> 24] as number) + 1;
  assert.ok(plainBuckets.reduce((s, b) => s + (b - expected) ** 2 / expected, 0) > 10000);
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < dim; i++) {
    const x = ramp[i] as number;
    const y = (mine.masked[i] as number) / 2 ** 32;
    sx += x;
    sy += y;
    sxx += x * x;
    syy += y * y;
    sxy += x * y;
  }
  const r = (dim * sxy - sx * sy) / Math.sqrt((dim * sxx - sx * sx) * (dim * syy - sy * sy));
  assert.ok(Math.abs(r) < 0.04, `correlation ${r}`);
});

test('a client refuses to reveal shares twice or for clients that never shared keys', async () => {
  const cdc = codec();
  const clients = updates('i').slice(0, 5);
  const server = new SecAggServer({ round: 'p', threshold: 3, vectorLength: DIM + 1 });
  const agents = clients.map((c) => new SecAggClient(c.id));
  const roster = server.receiveKeys(agents.map((a) => a.advertise()));
  assert.ok(roster.ok);
  const relayed = server.receiveShares(await Promise.all(agents.map((a) => a.shareKeys(roster.value))));
  assert.ok(relayed.ok);
  const a = agents[0] as SecAggClient;
  a.maskInput(relayed.value[0] as SharesFor, cdc, (clients[0] as RoundClient).update, 1);
  assert.throws(() => a.unmask({ type: 'unmask_request', survivors: ['client-a', 'client-b', 'mallory'] }), {
    name: 'SecAggProtocolError',
  });
  a.unmask({ type: 'unmask_request', survivors: ['client-a', 'client-b', 'client-c'] });
  assert.throws(() => a.unmask({ type: 'unmask_request', survivors: ['client-a', 'client-b', 'client-c'] }), {
    message: /asked twice/,
  });
});

test('duplicate names and reused or invalid public keys are excluded at the first step', () => {
  const server = new SecAggServer({ round: 'k', threshold: 2, vectorLength: 2 });
  const a = new SecAggClient('a').advertise();
  const b = new SecAggClient('b').advertise();
  const roster = server.receiveKeys([
    a,
    b,
    { ...a },
    { ...new SecAggClient('c').advertise(), maskingKey: b.maskingKey },
    { ...new SecAggClient('d').advertise(), encryptionKey: new Uint8Array(32) },
    { ...new SecAggClient('e').advertise(), encryptionKey: new Uint8Array(5) },
  ]);
  assert.ok(roster.ok);
  assert.deepEqual(
    roster.value.clients.map((c) => c.client),
    ['a', 'b'],
  );
  assert.deepEqual(
    server.excluded.map((e) => e.client),
    ['a', 'c', 'd', 'e'],
  );
});
