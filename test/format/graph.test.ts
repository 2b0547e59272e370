import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildGraph, parse } from '../../src/format/index.js';

const HEAD = '---\nmaml_version: "1.0"\n---\n\n## Code_Blocks\n\n';
const block = (id: string, attrs = ''): string => `\`\`\`python {#${id}${attrs ? ` ${attrs}` : ''}}\npass\n\`\`\`\n\n`;

test('stages group independent blocks and respect every edge', () => {
  const doc = parse(
    HEAD +
      block('a') +
      block('b', 'needs=a') +
      block('c', 'needs=a') +
      block('d', 'needs=b,c') +
      block('e') +
      '## Dependencies\n\n- e -> d\n',
  );
  const graph = buildGraph(doc);
  assert.deepEqual(graph.stages, [['a', 'e'], ['b', 'c'], ['d']]);
  assert.deepEqual(graph.upstream.get('d'), ['b', 'c', 'e']);
  assert.deepEqual(graph.diagnostics, []);
});

test('a cycle is reported with its path and no stages are produced', () => {
  const doc = parse(HEAD + block('a', 'needs=c') + block('b', 'needs=a') + block('c', 'needs=b') + block('free'));
  const graph = buildGraph(doc);
  assert.deepEqual(graph.cycle, ['a', 'b', 'c', 'a']);
  assert.deepEqual(graph.stages, []);
  assert.equal(graph.diagnostics[0]?.code, 'dependency_cycle');
  assert.match(graph.diagnostics[0]?.message ?? '', /a -> b -> c -> a/);
});

test('self-dependency and unknown blocks are errors', () => {
  const doc = parse(HEAD + block('a', 'needs=a') + block('b', 'needs=nope'));
  const codes = buildGraph(doc).diagnostics.map((d) => d.code);
  assert.deepEqual(codes.sort(), ['dependency_cycle', 'unknown_block']);
});

test('a long chain is ordered one block per stage', () => {
  let text = HEAD + block('n0');
  for (let i = 1; i < 300; i++) text += block(`n${i}`, `needs=n${i - 1}`);
  const graph = buildGraph(parse(text));
  assert.equal(graph.stages.length, 300);
  assert.deepEqual(graph.stages[299], ['n299']);
});
