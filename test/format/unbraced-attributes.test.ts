// Attributes written without braces (```python id=a needs=b) are not read (the spec follows Pandoc: attributes go
// in braces) and never silently: an unread attribute that would change how the block runs is an error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse, validate } from '../../src/format/index.js';

const FM = '---\nmaml_version: "1.0"\n---\n\n## Code_Blocks\n\n';
const report = (info: string): string[] =>
  validate(parse(`${FM}\`\`\`${info}\nx = 1\n\`\`\`\n`))
    .filter((d) => d.code === 'attributes_without_braces')
    .map((d) => `${d.line}:${d.column} ${d.severity} ${d.message}`);

test('id= and needs= after the language: an error that shows the braced form', () => {
  assert.deepEqual(report('python id=a needs=b'), [
    '7:1 error `id=a needs=b` is outside the braces, so it is not read as block attributes; write ```python {#a needs=b}',
  ]);
  const doc = parse(`${FM}\`\`\`python id=a needs=b\nx = 1\n\`\`\`\n`);
  assert.equal(doc.blocks[0]?.id, 'block-1');
  assert.deepEqual(doc.blocks[0]?.needs, []);
});

test('words after the closing brace, run=false and #id are errors too; free labels a warning', () => {
  assert.match(report('python {#a} needs=b')[0] ?? '', /^7:1 error .*write ```python \{#a needs=b\}$/);
  assert.match(report('python run=false')[0] ?? '', /^7:1 error /);
  assert.match(report('python #a')[0] ?? '', /^7:1 error .*\{#a\}$/);
  assert.match(report('python .gpu label=x')[0] ?? '', /^7:1 warning .*\{\.gpu label=x\}$/);
});

test('plain words after the language, and braced attributes, are left alone', () => {
  for (const info of ['python', 'js title', 'text output lines', 'python {#a needs=b}', '{.python #a}'])
    assert.deepEqual(report(info), [], info);
});
