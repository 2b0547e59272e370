// Fixed-point encoding into Z_{2^32}: round trips within resolution, refuses out-of-range and non-finite values,
// and refuses parameters whose worst-case sum would wrap around.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addInto, decodeSum, encodeUpdate, fixedPointCodec } from '../../src/federated/index.js';

test('the worst-case sum of every client at full range and weight still decodes exactly', () => {
  const codec = fixedPointCodec({ range: 3, clients: 10, maxWeight: 1000 });
  assert.ok(typeof codec !== 'string');
  const sum = new Uint32Array(3);
  for (let k = 0; k < 10; k++) {
    const e = encodeUpdate(codec, [3, -3], 1000);
    assert.ok(e.ok);
    addInto(sum, e.value);
  }
  const { values, totalWeight } = decodeSum(codec, sum);
  assert.equal(totalWeight, 10000);
  assert.ok(Math.abs((values[0] as number) - 30000) < 1e-3);
  assert.ok(Math.abs((values[1] as number) + 30000) < 1e-3);
});

test('values outside the range, non-finite values and bad weights are refused, not wrapped', () => {
  const codec = fixedPointCodec({ range: 1, clients: 2, maxWeight: 5 });
  assert.ok(typeof codec !== 'string');
  assert.deepEqual(
    [
      encodeUpdate(codec, [0.5, 1.0001], 1),
      encodeUpdate(codec, [Infinity], 1),
      encodeUpdate(codec, [0], 6),
      encodeUpdate(codec, [0], 1.5),
    ].map((r) => (r.ok ? 'ok' : r.code)),
    ['out_of_range', 'not_finite', 'bad_weight', 'bad_weight'],
  );
  const e = encodeUpdate(codec, [-1, 1, 0.25], 5);
  assert.ok(e.ok);
  assert.deepEqual(Array.from(decodeSum(codec, e.value).values), [-5, 5, 1.25]);
});

test('parameters that cannot fit in 2^32 are refused with a reason', () => {
  assert.match(String(fixedPointCodec({ range: 1, clients: 100000, maxWeight: 100000 })), /overflow/);
  assert.match(String(fixedPointCodec({ range: 1e12, clients: 10, maxWeight: 1000 })), /no fixed-point resolution/);
  assert.match(String(fixedPointCodec({ range: -1, clients: 10, maxWeight: 1 })), /positive/);
});
