// Output checks: what the run database cannot store faithfully is refused with the output, the place and what
// to do; `storable` makes records (errors, events) safe without refusing them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MamlError } from '../../src/shared/index.js';
import { MAX_OUTPUT_DEPTH, checkOutputs, jsonProblem, parseReport, storable } from '../../src/runtime/index.js';

const LIMIT = 1024 * 1024;

function refusal(outputs: unknown, limit = LIMIT): MamlError {
  try {
    checkOutputs('b', outputs, limit);
  } catch (error) {
    assert.ok(error instanceof MamlError);
    return error;
  }
  assert.fail(`accepted ${JSON.stringify(outputs)}`);
}

function nested(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

test('ordinary JSON outputs pass unchanged, nested `__proto__` and `constructor` keys included', () => {
  const value = JSON.parse('{"a":[1,2.5,"x",null,true],"b":{"__proto__":{"p":1},"constructor":2},"é😀":"ok"}');
  const outputs = { v: value, constructor: 'kept', 'x.y-z': 1 };
  assert.equal(checkOutputs('b', outputs, LIMIT), outputs);
  assert.deepEqual(Object.keys((value as { b: object }).b), ['__proto__', 'constructor']);
  assert.equal(jsonProblem(nested(MAX_OUTPUT_DEPTH - 1)), undefined);
});

test('each hazard fails the block naming the output, the place inside it and what to do', () => {
  const cases: [unknown, string, RegExp][] = [
    [
      { s: 'a\u0000b' },
      'nul_character',
      /^block b: output `s`: a string contains the character U\+0000, which the run database cannot store; remove it, or encode binary data/,
    ],
    [
      { s: { list: ['ok', 'x\ud800'] } },
      'lone_surrogate',
      /output `s` at \/list\/1: a string contains an unpaired UTF-16 surrogate/,
    ],
    [{ s: { 'k\u0000': 1 } }, 'nul_character', /output `s` at \/k.: a key contains the character U\+0000/],
    [
      { n: Infinity },
      'not_finite',
      /output `n`: the number Infinity is not JSON \(a value such as 1e400 overflows\); send it as a string, or null/,
    ],
    [{ n: [Number.NaN] }, 'not_finite', /output `n` at \/0: the number NaN/],
    [{ d: nested(MAX_OUTPUT_DEPTH + 5) }, 'too_deep', /is nested more than 128 levels deep; flatten it/],
    [{ big: 10n }, 'not_json', /a bigint is not a JSON value/],
    [{ when: new Date(0) }, 'not_json', /a Date is not a JSON value/],
    [{ u: [undefined] }, 'not_json', /: undefined is not a JSON value/],
  ];
  for (const [outputs, problem, message] of cases) {
    const error = refusal(outputs);
    assert.equal(error.code, 'block_failed');
    assert.equal(error.details?.['problem'], problem, error.message);
    assert.match(error.message, message);
  }
});

test('output names: `__proto__` is refused with a message, never dropped; invalid names are refused', () => {
  const proto = refusal(JSON.parse('{"__proto__":{"x":1},"ok":1}'));
  assert.match(proto.message, /the output name "__proto__" is reserved: in JavaScript it names an object's prototype/);
  assert.match(refusal({ 'a b': 1 }).message, /the output name "a b" is not a valid output name/);
  assert.match(refusal({ ['x'.repeat(200)]: 1 }).message, /is longer than 128 characters/);
  assert.match(refusal([1, 2]).message, /not a name → value object/);
});

test('the protocol keeps an output called `__proto__` as an output, so the check can refuse it', () => {
  const report = parseReport('__proto__={"x":1}\nok=1', 'b');
  assert.deepEqual(Object.keys(report.outputs), ['__proto__', 'ok']);
  assert.equal(Object.getPrototypeOf(report.outputs), Object.prototype);
  assert.throws(() => checkOutputs('b', report.outputs, LIMIT), /"__proto__" is reserved/);
});

test('outputs larger than the output limit as JSON are a resource limit', () => {
  const error = refusal({ s: 'x'.repeat(2000) }, 1000);
  assert.equal(error.code, 'resource_limit');
  assert.match(error.message, /its outputs take 2008 bytes as JSON, more than the output limit of 1000 bytes/);
});

test('storable replaces what the database cannot hold in records, and keeps the rest', () => {
  assert.deepEqual(
    storable({
      message: 'a\u0000b\ud800',
      n: Infinity,
      big: 3n,
      nested: { 'k\u0000': [undefined, 1] },
      at: new Date(0),
    }),
    {
      message: 'a\ufffdb\ufffd',
      n: 'Infinity',
      big: '3',
      nested: { 'k\ufffd': [null, 1] },
      at: '1970-01-01T00:00:00.000Z',
    },
  );
  assert.equal(JSON.stringify(storable(nested(MAX_OUTPUT_DEPTH + 10))).includes('[nested too deep]'), true);
});
