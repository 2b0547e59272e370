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

test("a language's own attribute outside the braces is an error on that language's blocks only", () => {
  assert.match(report('qasm backend=mps')[0] ?? '', /^7:1 error .*```qasm \{backend=mps\}$/);
  assert.match(report('openqasm3 shots=10')[0] ?? '', /^7:1 error /);
  assert.match(report('python shots=10')[0] ?? '', /^7:1 warning /);
});

test("unknown_attribute lists what the block's language reads", () => {
  const unknown = (info: string): string[] =>
    validate(parse(`${FM}\`\`\`${info}\nx = 1\n\`\`\`\n`))
      .filter((d) => d.code === 'unknown_attribute')
      .map((d) => d.message);
  assert.deepEqual(unknown('qasm {#q shots=10 seed=1 backend=mps precision=64 probabilities=true}'), []);
  assert.deepEqual(unknown('qasm {#q colour=red}'), [
    'Block attribute `colour` is not used by the gateway (known for qasm blocks: needs, head, timeout, continue_on_error, run, cache, fairness, shots, seed, backend, precision, probabilities).',
  ]);
  assert.deepEqual(unknown('python {#p backend=mps}'), [
    'Block attribute `backend` is not used by the gateway (known: needs, head, timeout, continue_on_error, run, cache, fairness).',
  ]);
});
