// RFC 8785 examples as the tests of record: the §3.2.2 sample object, the §3.2.3 sorting example and the
// Appendix B number serialization table (IEEE 754 bit patterns → expected text).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { JcsError, canonicalize } from '../../src/crypto/index.js';

test('RFC 8785 §3.2.2 sample object', () => {
  const input = JSON.parse(
    '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],' +
      ' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",' +
      ' "literals": [null, true, false]}',
  ) as unknown;
  assert.equal(
    canonicalize(input),
    '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
      '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
  );
});

test('RFC 8785 §3.2.3 property sorting by UTF-16 code units', () => {
  const input = JSON.parse(
    '{"\\u20ac": "Euro Sign", "\\r": "Carriage Return", "\\ufb33": "Hebrew Letter Dalet With Dagesh",' +
      ' "1": "One", "\\ud83d\\ude00": "Emoji: Grinning Face", "\\u0080": "Control",' +
      ' "\\u00f6": "Latin Small Letter O With Diaeresis"}',
  ) as Record<string, string>;
  // Compare the text itself: re-parsing would reorder the integer-like key "1" (ECMAScript property order).
  assert.equal(
    canonicalize(input),
    '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis",' +
      '"\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
  );
});

// RFC 8785 Appendix B: IEEE 754 double (hex) → canonical text; null = must be rejected.
const APPENDIX_B: readonly [string, string | null][] = [
  ['0000000000000000', '0'],
  ['8000000000000000', '0'],
  ['0000000000000001', '5e-324'],
  ['8000000000000001', '-5e-324'],
  ['7fefffffffffffff', '1.7976931348623157e+308'],
  ['ffefffffffffffff', '-1.7976931348623157e+308'],
  ['4340000000000000', '9007199254740992'],
  ['c340000000000000', '-9007199254740992'],
  ['4430000000000000', '295147905179352830000'],
  ['7fffffffffffffff', null],
  ['7ff0000000000000', null],
  ['44b52d02c7e14af5', '9.999999999999997e+22'],
  ['44b52d02c7e14af6', '1e+23'],
  ['44b52d02c7e14af7', '1.0000000000000001e+23'],
  ['444b1ae4d6e2ef4e', '999999999999999700000'],
  ['444b1ae4d6e2ef4f', '999999999999999900000'],
  ['444b1ae4d6e2ef50', '1e+21'],
  ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
  ['3eb0c6f7a0b5ed8d', '0.000001'],
  ['41b3de4355555553', '333333333.3333332'],
  ['41b3de4355555554', '333333333.33333325'],
  ['41b3de4355555555', '333333333.3333333'],
  ['41b3de4355555556', '333333333.3333334'],
  ['41b3de4355555557', '333333333.33333343'],
  ['becbf647612f3696', '-0.0000033333333333333333'],
  ['43143ff3c1cb0959', '1424953923781206.2'],
];

test('RFC 8785 Appendix B number serialization', () => {
  for (const [bits, expected] of APPENDIX_B) {
    const view = new DataView(new ArrayBuffer(8));
    view.setBigUint64(0, BigInt(`0x${bits}`));
    const n = view.getFloat64(0);
    if (expected === null) assert.throws(() => canonicalize(n), JcsError, bits);
    else assert.equal(canonicalize(n), expected, bits);
  }
});

test('lone surrogates, undefined-only values and non-plain objects are refused', () => {
  assert.throws(() => canonicalize('\ud800'), JcsError);
  assert.throws(() => canonicalize({ ['\udc00']: 1 }), JcsError);
  assert.throws(() => canonicalize(new Date(0)), JcsError);
  assert.throws(() => canonicalize(1n), JcsError);
  assert.equal(canonicalize({ a: undefined, b: 1 }), '{"b":1}');
});

test('property: canonical text parses back to the same value and is a fixed point', () => {
  fc.assert(
    fc.property(fc.jsonValue(), (v) => {
      const text = canonicalize(v);
      assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(v)));
      assert.equal(canonicalize(JSON.parse(text)), text);
    }),
    { numRuns: 300 },
  );
});
