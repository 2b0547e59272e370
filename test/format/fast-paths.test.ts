// Differential tests: the hand-written info-string scanner, fence reader and index-based task graph against the
// simpler versions they replaced (kept under reference/), on random inputs built from the tricky pieces.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildGraph, parse } from '../../src/format/index.js';
import { scanBody } from '../../src/format/fences.js';
import { parseInfoString } from '../../src/format/info-string.js';
import { splitLines } from '../../src/format/lines.js';
import { firstWord, splitWords } from '../../src/format/whitespace.js';
import { scanBody as referenceScan } from './reference/fences.js';
import { buildGraph as referenceGraph } from './reference/graph.js';
import { parseInfoString as referenceInfo } from './reference/info-string.js';

const infoPieces = [
  ' ',
  '\t',
  '\u00a0',
  '\u2028',
  '\n',
  '\r',
  '{',
  '}',
  '#',
  '.',
  '=',
  '"',
  "'",
  '\\',
  ',',
  ':',
  '-',
  '_',
  'a',
  'Z',
  '7',
  'needs',
  'head',
  'python',
  '🐪',
];
const infoString = fc.array(fc.constantFrom(...infoPieces), { maxLength: 24 }).map((p) => p.join(''));

test('the info-string scanner reads what the token regex read', () => {
  fc.assert(
    fc.property(infoString, (info) => {
      assert.deepEqual(parseInfoString(info), referenceInfo(info));
    }),
    { numRuns: 20_000 },
  );
});

test('the info-string scanner agrees on the documented forms', () => {
  for (const info of [
    'python {#train .gpu needs=quantum,prep head=ai timeout="30 s"}',
    '{.python #id}',
    'js {#a #b}',
    'sh {key="esc\\"aped" x=\'single\' bare=v}',
    'py {unterminated="x y}',
    'py {#} {.=} {=}',
    'py {needs=a',
    'py {k="a\\',
  ])
    assert.deepEqual(parseInfoString(info), referenceInfo(info), info);
});

const block = (id: string, needs: string[], lang: string): string =>
  `\`\`\`${lang} {#${id}${needs.length > 0 ? ` needs=${needs.join(',')}` : ''}}\npass\n\`\`\`\n\n`;

const graphDocument = fc
  .record({
    blocks: fc.array(
      fc.record({
        id: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'),
        needs: fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'x'), { maxLength: 3 }),
        lang: fc.constantFrom('python', 'python', 'python', 'json'),
      }),
      { maxLength: 8 },
    ),
    deps: fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c', 'x'), fc.constantFrom('a', 'b', 'd', 'f')), {
      maxLength: 3,
    }),
  })
  .map(
    ({ blocks, deps }) =>
      '---\nmaml_version: "1.0"\n---\n\n## Code_Blocks\n\n' +
      blocks.map((b) => block(b.id, b.needs, b.lang)).join('') +
      (deps.length > 0 ? `## Dependencies\n\n${deps.map(([f, t]) => `- ${f} -> ${t}\n`).join('')}` : ''),
  );

test('the index-based task graph equals the map-based one', () => {
  fc.assert(
    fc.property(graphDocument, (text) => {
      const doc = parse(text);
      const fast = buildGraph(doc);
      const simple = referenceGraph(doc);
      assert.deepEqual(fast.nodes, simple.nodes);
      assert.deepEqual([...fast.upstream], [...simple.upstream]);
      assert.deepEqual(fast.stages, simple.stages);
      assert.deepEqual(fast.cycle, simple.cycle);
      assert.deepEqual(fast.diagnostics, simple.diagnostics);
    }),
    { numRuns: 3_000 },
  );
});

const bodyPieces = [
  '```',
  '````',
  '~~~',
  '~~~~',
  '   ',
  '    ',
  '\t',
  '\n',
  '\r\n',
  '\r',
  '\u2028',
  'markdown',
  'md',
  'python',
  ' {#a}',
  '`',
  '## ',
  '# x',
  'text',
  '#',
];
const body = fc.array(fc.constantFrom(...bodyPieces), { maxLength: 40 }).map((p) => p.join(''));

test('the fence reader finds the fences and headings the regex-based one found', () => {
  fc.assert(
    fc.property(body, (text) => {
      const lines = splitLines(text);
      assert.deepEqual(scanBody(text, lines), referenceScan(text, lines));
    }),
    { numRuns: 20_000 },
  );
});

test('splitWords and firstWord read what the regexes they replaced read', () => {
  fc.assert(
    fc.property(infoString, (text) => {
      assert.deepEqual(splitWords(text), text.match(/[^\s,]+/g) ?? []);
      assert.equal(firstWord(text, 123), text.split(/[\s{]/)[0]);
    }),
    { numRuns: 20_000 },
  );
});
