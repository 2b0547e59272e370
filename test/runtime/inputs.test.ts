// `--input name=value` read as ## Input_Schema types each input: strings kept as written, other types parsed as
// JSON and checked, untyped inputs read the old way (JSON when it parses, else text).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseInputPairs, resolveWorkflowInputs } from '../../src/runtime/index.js';
import { MamlError } from '../../src/shared/index.js';

const SCHEMA = {
  type: 'object',
  properties: {
    patient_id: { type: 'string' },
    shots: { type: 'integer' },
    theta: { type: 'number' },
    verbose: { type: 'boolean' },
    note: { type: ['string', 'null'] },
    tags: { type: 'array', items: { type: 'string' } },
    options: { type: 'object' },
    code: { enum: ['007', '008'] },
    ref: { $ref: '#/$defs/id' },
    either: { anyOf: [{ type: 'integer' }, { type: 'boolean' }] },
    free: {},
  },
  $defs: { id: { type: 'string' } },
};

test('a string input keeps the text as written, even when it looks like a number, a boolean or JSON', () => {
  assert.deepEqual(parseInputPairs(['patient_id=7', 'code=007', 'ref=true', 'note=007'], SCHEMA), {
    patient_id: '7',
    code: '007',
    ref: 'true',
    note: '007',
  });
  assert.deepEqual(parseInputPairs(['patient_id="7"'], SCHEMA), { patient_id: '"7"' });
  assert.deepEqual(parseInputPairs(['patient_id=a=b'], SCHEMA), { patient_id: 'a=b' });
  // The result passes the schema that used to reject it (`/patient_id must be string`).
  assert.deepEqual(resolveWorkflowInputs(SCHEMA, parseInputPairs(['patient_id=7'], SCHEMA)), { patient_id: '7' });
});

test('typed inputs are parsed as JSON of the declared type', () => {
  assert.deepEqual(
    parseInputPairs(
      ['shots=1024', 'theta=0.5', 'verbose=false', 'note=null', 'tags=["a","b"]', 'options={"k":1}', 'either=true'],
      SCHEMA,
    ),
    { shots: 1024, theta: 0.5, verbose: false, note: null, tags: ['a', 'b'], options: { k: 1 }, either: true },
  );
  assert.deepEqual(parseInputPairs(['theta=2'], SCHEMA), { theta: 2 }, 'an integer is a number');
});

test('a value that is not JSON of the declared type is a usage error naming the input and the type', () => {
  const cases: [string, RegExp][] = [
    ['shots=many', /--input shots=many: .*`shots` as integer, and `many` is not JSON/],
    ['shots=1.5', /`shots` as integer, and `1\.5` is JSON number/],
    ['verbose=yes', /`verbose` as boolean/],
    ['tags={"a":1}', /`tags` as array, and `\{"a":1\}` is JSON object/],
    ['theta="0.5"', /`theta` as number, and `"0\.5"` is JSON string/],
  ];
  for (const [pair, message] of cases)
    assert.throws(
      () => parseInputPairs([pair], SCHEMA),
      (e: unknown) => e instanceof MamlError && e.code === 'usage' && message.test(e.message),
      pair,
    );
});

test('without a schema, or for an input it does not type, the value is JSON when it parses, else text', () => {
  assert.deepEqual(parseInputPairs(['a=7', 'b=hello', 'c={"x":1}']), { a: 7, b: 'hello', c: { x: 1 } });
  assert.deepEqual(parseInputPairs(['free=7', 'undeclared=true'], SCHEMA), { free: 7, undeclared: true });
  assert.deepEqual(parseInputPairs(['extra=7'], { type: 'object', additionalProperties: { type: 'string' } }), {
    extra: '7',
  });
  assert.throws(
    () => parseInputPairs(['novalue']),
    (e: unknown) => e instanceof MamlError && e.code === 'usage',
  );
});

test('workflow inputs get the schema defaults, and its patterns are matched in linear time', () => {
  const schema = {
    type: 'object',
    properties: { id: { type: 'string', pattern: '^(a+)+$' }, shots: { type: 'integer', default: 100 } },
  };
  assert.deepEqual(resolveWorkflowInputs(schema, { id: 'aaa' }), { id: 'aaa', shots: 100 });
  // A backtracking engine takes 2^n steps on this; the linear one answers at once, with the mismatch.
  assert.throws(
    () => resolveWorkflowInputs(schema, { id: `${'a'.repeat(50_000)}!` }),
    (e: unknown) => e instanceof MamlError && e.code === 'usage' && /\/id must match pattern/.test(e.message),
  );
});

test('documents may reuse a schema $id: each is applied as written, none is kept', () => {
  const first = { $id: 'urn:example:inputs', type: 'object', properties: { n: { type: 'integer' } } };
  const second = { $id: 'urn:example:inputs', type: 'object', properties: { n: { type: 'string' } } };
  for (let i = 0; i < 3; i++) {
    assert.deepEqual(resolveWorkflowInputs(first, { n: 1 }), { n: 1 });
    assert.deepEqual(resolveWorkflowInputs(second, { n: 'one' }), { n: 'one' });
    assert.throws(() => resolveWorkflowInputs(second, { n: 1 }), /\/n must be string/);
  }
});
