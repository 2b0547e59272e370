/** Count keys built from 8-bit groups agree with the character-by-character definition, indices included. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CountTally } from '../../src/quantum/sim/count-tally.js';

/** The definition: clbit b at character keyBits − 1 − b. */
function naiveKey(clbits: Uint8Array, keyBits: number): string {
  let s = '';
  for (let b = keyBits - 1; b >= 0; b--) s += clbits[b] ? '1' : '0';
  return s;
}

test('keys of registers from 1 to 70 bits equal the definition', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 70 }), fc.array(fc.boolean(), { minLength: 70, maxLength: 70 }), (k, b) => {
      const clbits = Uint8Array.from(b.slice(0, k), (x) => (x ? 1 : 0));
      assert.equal(new CountTally(k).key(clbits), naiveKey(clbits, k));
    }),
  );
});

test('indices become keys through the terminal map, qubits past 32 and registers past 52 bits included', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 40 }),
      fc.array(fc.integer({ min: 0, max: 2 ** 40 - 1 }), { minLength: 1, maxLength: 30 }),
      fc.integer({ min: 0, max: 1000 }),
      fc.constantFrom(0, 25),
      fc.boolean(),
      fc.integer({ min: 0, max: 2 }),
      (n, values, seed, gap, ascending, repeat) => {
        // A permuted terminal map onto clbits 1..n, with clbit 0 fixed to 1 by an earlier measurement.
        const order = Array.from({ length: n }, (_, q) => q).sort(
          (a, b) => ((a * 7919 + seed) % n) - ((b * 7919 + seed) % n),
        );
        // With a gap, clbits 1..gap stay 0 and the register may pass 52 bits (keys tallied as strings).
        const terminal = order.map((q, j) => ({ qubit: q, clbit: j + 1 + gap }));
        const width = n + 1 + gap;
        const base = new Uint8Array(width);
        base[0] = 1;
        const index = Float64Array.from(values, (v) => v % 2 ** n);
        if (ascending) index.sort();
        const count = Uint32Array.from(values, (_, i) => i + 1);
        const tally = new CountTally(width);
        const expected = new Map<string, number>();
        // Repeated calls (several branches) merge into the first.
        for (let r = 0; r <= repeat; r++) {
          tally.addIndices(base, terminal, index, count);
          index.forEach((v, i) => {
            const bits = base.slice();
            for (const t of terminal) bits[t.clbit] = Math.floor(v / 2 ** t.qubit) % 2;
            const k = naiveKey(bits, width);
            expected.set(k, (expected.get(k) ?? 0) + (count[i] ?? 0));
          });
        }
        assert.deepEqual(tally.record(), Object.fromEntries(expected));
      },
    ),
  );
});

test('added registers merge into one count per key, narrow and wide', () => {
  for (const width of [3, 60]) {
    const tally = new CountTally(width);
    const r = (ones: number[]): Uint8Array => {
      const bits = new Uint8Array(width);
      for (const b of ones) bits[b] = 1;
      return bits;
    };
    tally.add(r([0, 2]), 2);
    tally.add(r([]), 1);
    tally.add(r([0, 2]), 3);
    const zeros = '0'.repeat(width - 3);
    assert.deepEqual(tally.record(), { [`${zeros}000`]: 1, [`${zeros}101`]: 5 });
  }
});
