// Property tests: random and mutated documents never make parse/validate throw, and parsing keeps the text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { format, parse, validate } from '../../src/format/index.js';
import { ROOT } from '../helpers/paths.js';

const example = readFileSync(join(ROOT, 'examples/quickstart.maml.md'), 'utf8');
const pieces = [
  '---\n',
  '```',
  '````',
  '~~~',
  '## ',
  '# ',
  '\n',
  '{#',
  '}',
  'needs=',
  '- a -> b\n',
  ': [',
  ']',
  '&a ',
  '*a',
  '"',
  "'",
  '\r\n',
  '\u0000',
  '\uFEFF',
  '🐪',
  'maml_version: ',
  'python',
  'json',
  '{',
  '"type":',
];

const documentish = fc
  .array(fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 8 })), { maxLength: 80 })
  .map((parts) => parts.join(''));

test('parse and validate never throw on random documents', () => {
  fc.assert(
    fc.property(documentish, (text) => {
      const doc = parse(text);
      assert.equal(doc.text, text);
      validate(doc, { profile: 'strict' });
      validate(doc, { profile: 'lenient' });
    }),
    { numRuns: 400 },
  );
});

test('parse and validate never throw on mutations of a real document', () => {
  const mutation = fc.record({
    at: fc.nat({ max: example.length }),
    cut: fc.nat({ max: 40 }),
    insert: fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 12 })),
  });
  fc.assert(
    fc.property(fc.array(mutation, { minLength: 1, maxLength: 6 }), (mutations) => {
      let text = example;
      for (const m of mutations) text = text.slice(0, m.at) + m.insert + text.slice(m.at + m.cut);
      const doc = parse(text);
      assert.equal(doc.text, text);
      const diagnostics = validate(doc);
      for (const d of diagnostics) {
        assert.ok(d.line >= 1 && d.column >= 1 && d.offset >= 0 && d.offset <= text.length, JSON.stringify(d));
      }
      const once = format(doc);
      assert.equal(typeof once, 'string');
    }),
    { numRuns: 400 },
  );
});
