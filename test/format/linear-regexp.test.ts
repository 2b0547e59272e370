// JSON Schema patterns are matched by an automaton in linear time: the same answers as the native engine on
// random patterns and strings, time that grows with the string for patterns that make a backtracking engine
// exponential or quadratic, and a clear refusal of what cannot be matched that way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MAX_STATES, linearRegExp } from '../../src/format/linear-regexp.js';
import { checkSchema, parse, validate, validateAgainst } from '../../src/format/index.js';
import { assertLinearTime } from '../helpers/growth.js';

const PATTERN_PIECES = [
  'a',
  'b',
  '.',
  '[ab]',
  '[^a]',
  '[a-c\\d]',
  '\\d',
  '\\w',
  '\\s',
  '\\b',
  '\\B',
  '^',
  '$',
  '(',
  ')',
  '(?:',
  '(?<n>',
  '|',
  '*',
  '+',
  '?',
  '*?',
  '{2}',
  '{1,3}',
  '{0,}',
  '\\.',
  '\\u0061',
  '\\p{L}',
  '😀',
];
const STRING_PIECES = ['a', 'b', 'c', 'x', '1', ' ', '.', '\n', '😀', 'é', '_'];

const nativeOrUndefined = (source: string): RegExp | undefined => {
  try {
    return new RegExp(source, 'u');
  } catch {
    return undefined;
  }
};

test('the automaton answers what the native engine answers', () => {
  const pattern = fc.array(fc.constantFrom(...PATTERN_PIECES), { minLength: 1, maxLength: 10 }).map((p) => p.join(''));
  const text = fc.array(fc.constantFrom(...STRING_PIECES), { maxLength: 12 }).map((p) => p.join(''));
  let compared = 0;
  fc.assert(
    fc.property(pattern, fc.array(text, { minLength: 1, maxLength: 5 }), (source, texts) => {
      const native = nativeOrUndefined(source);
      if (!native) {
        assert.throws(() => linearRegExp(source, 'u'));
        return;
      }
      const linear = linearRegExp(source, 'u');
      for (const t of texts) {
        // V8 also tries `\B` between the halves of a surrogate pair; the automaton steps by code points.
        if (source.includes('\\B') && /[\uD800-\uDFFF]/.test(t)) continue;
        assert.equal(linear.test(t), native.test(t), `/${source}/u on ${JSON.stringify(t)}`);
        compared++;
      }
    }),
    { numRuns: 5_000 },
  );
  assert.ok(compared > 2_000, `only ${compared} comparisons ran`);
});

test('patterns that make a backtracking engine exponential or quadratic take linear time', () => {
  for (const [source, make] of [
    ['^(a+)+$', (n: number) => `${'a'.repeat(n)}!`],
    ['^(a|aa)*c$', (n: number) => 'a'.repeat(n)],
    ['(x+x+)+y', (n: number) => 'x'.repeat(n)],
    ['a*b', (n: number) => 'a'.repeat(n)],
    ['^(\\w+\\s?)*$', (n: number) => `${'word '.repeat(n / 5)}!`],
  ] as const) {
    const re = linearRegExp(source, 'u');
    assertLinearTime(
      source,
      (s) => make(20_000 * s),
      (t) => re.test(t),
    );
    // A short input, where the native engine still finishes, gets the same answer.
    assert.equal(re.test(make(16)), new RegExp(source, 'u').test(make(16)), source);
  }
  // Through Ajv, as the run planner validates outputs against a document's schema.
  const issues = validateAgainst({ type: 'string', pattern: '^(a+)+$' }, `${'a'.repeat(100_000)}!`);
  assert.deepEqual(
    issues.map((i) => i.keyword),
    ['pattern'],
  );
});

test('backreferences, lookaround and huge repetitions are refused with a message that says why', () => {
  const refused = (pattern: string): string => checkSchema({ type: 'string', pattern })[0]?.message ?? '';
  assert.match(refused('(a)\\1'), /backreferences cannot be matched in linear time/);
  assert.match(refused('(?<x>a)\\k<x>'), /backreferences/);
  assert.match(refused('a(?=b)'), /lookahead/);
  assert.match(refused('(?<!a)b'), /lookbehind/);
  assert.match(refused(`a{${MAX_STATES + 1}}`), /too large/);
  assert.match(refused('((a{200}){200}){200}'), /more than 20000 states/);
  assert.match(refused('('.repeat(2_000) + ')'.repeat(2_000)), /nests/);
  assert.deepEqual(checkSchema({ type: 'string', pattern: '^[a-z]+(-[a-z]+)*$' }), []);
  const doc = parse(
    '---\nmaml_version: "1.0"\n---\n\n## Output_Schema\n\n```json\n{"type": "string", "pattern": "(?=x)"}\n```\n',
  );
  const d = validate(doc).find((x) => x.code === 'invalid_json_schema');
  assert.match(d?.message ?? '', /lookahead/);
});
