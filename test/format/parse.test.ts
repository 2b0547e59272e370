import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeLang, parse, parseBytes } from '../../src/format/index.js';
import { FIXTURES } from '../helpers/paths.js';

const HEAD =
  '---\nmaml_version: "1.0"\nid: "urn:uuid:0b6b7f52-1d2c-4e8f-9a3b-7c5d1e2f3a4b"\ntype: workflow\norigin: "agent://t"\n---\n';

test('front matter keys carry their positions', () => {
  const doc = parse(HEAD);
  const type = doc.frontMatter?.places.get('/type');
  assert.deepEqual(type?.start, { line: 4, column: 7, offset: HEAD.indexOf('workflow') });
  assert.equal(doc.frontMatter?.value?.['type'], 'workflow');
});

test('code blocks: language, Pandoc attributes, ids and positions', () => {
  const text = `${HEAD}\n## Code_Blocks\n\n\`\`\`python {#train needs=quantum,prep head=ai timeout=30s .gpu label="two words"}\nx = 1\n\`\`\`\n\n\`\`\`js\nconsole.log(1)\n\`\`\`\n`;
  const doc = parse(text);
  const [train, second] = doc.blocks;
  assert.ok(train && second);
  assert.equal(train.id, 'train');
  assert.equal(train.lang, 'python');
  assert.deepEqual(train.needs, ['quantum', 'prep']);
  assert.equal(train.head, 'ai');
  assert.equal(train.timeout, '30s');
  assert.deepEqual(train.classes, ['gpu']);
  assert.equal(train.attributes['label'], 'two words');
  assert.equal(train.code, 'x = 1\n');
  assert.equal(train.line, 10);
  assert.equal(train.column, 1);
  assert.equal(text.slice(train.offset, train.offset + 9), '```python');
  assert.equal(second.id, 'block-2', 'blocks without #id are numbered from 1 in document order');
  assert.equal(second.lang, 'javascript', 'js is normalized');
  assert.equal(second.executable, true);
});

test('blocks in schema, context and history sections are not tasks', () => {
  const doc = parseBytes(readFileSync(join(FIXTURES, 'valid/markdown-example.maml.md')));
  assert.deepEqual(
    doc.blocks.map((b) => b.id),
    ['real'],
  );
  assert.deepEqual(doc.diagnostics, []);
});

test('fences: a longer fence holds shorter ones; tildes and backticks do not close each other', () => {
  const text = `${HEAD}\n## Code_Blocks\n\n\`\`\`\`python {#outer}\n\`\`\`\nstill outer\n\`\`\`\`\n\n~~~bash {#tilde}\n\`\`\`\necho in\n~~~\n`;
  const doc = parse(text);
  assert.deepEqual(
    doc.blocks.map((b) => [b.id, b.code]),
    [
      ['outer', '```\nstill outer\n'],
      ['tilde', '```\necho in\n'],
    ],
  );
});

test('data blocks and run=false are not executable; unknown languages are kept', () => {
  const text = `${HEAD}\n## Code_Blocks\n\n\`\`\`json {#data}\n{}\n\`\`\`\n\n\`\`\`python {#off run=false}\npass\n\`\`\`\n\n\`\`\`rust {#r}\nfn main(){}\n\`\`\`\n`;
  const doc = parse(text);
  assert.deepEqual(
    doc.blocks.map((b) => [b.id, b.lang, b.executable]),
    [
      ['data', 'json', false],
      ['off', 'python', false],
      ['r', 'rust', false],
    ],
  );
});

test('a language spelled like an Object.prototype member is an unknown language, kept as written', () => {
  const text = `${HEAD}\n## Code_Blocks\n\n\`\`\`constructor {#c}\nx\n\`\`\`\n\n\`\`\`__proto__ {#p}\nx\n\`\`\`\n`;
  assert.deepEqual(
    parse(text).blocks.map((b) => [b.id, b.lang, b.executable]),
    [
      ['c', 'constructor', false],
      ['p', '__proto__', false],
    ],
  );
  assert.equal(normalizeLang('CONSTRUCTOR'), 'constructor');
});

test('sections: decorated headings normalize; unknown sections are kept', () => {
  const doc = parse(`${HEAD}\n## 🐪 History\n\n## Code Blocks\n\n## My Notes!\ntext\n`);
  assert.deepEqual(
    doc.sections.map((s) => [s.title, s.name]),
    [
      ['🐪 History', 'history'],
      ['Code Blocks', 'code_blocks'],
      ['My Notes!', 'my_notes'],
    ],
  );
});

test('Input_Schema as raw unfenced JSON', () => {
  const doc = parse(`${HEAD}\n## Input_Schema\n{ "type": "object", "properties": { "n": { "type": "integer" } } }\n`);
  assert.deepEqual(doc.inputSchema?.value, { type: 'object', properties: { n: { type: 'integer' } } });
  assert.equal(doc.inputSchema?.fenced, false);
  assert.equal(doc.inputSchema?.place.line, 9);
});

test('Dependencies: edges, chains and fan-out', () => {
  const doc = parse(`${HEAD}\n## Dependencies\n\n- a -> b -> c\n- c -> d, e\n- \`x\` → y\n`);
  assert.deepEqual(
    doc.dependencies.map((e) => `${e.from}>${e.to}`),
    ['a>b', 'b>c', 'c>d', 'c>e', 'x>y'],
  );
});

test('History entries are read with their actions', () => {
  const doc = parse(
    `${HEAD}\n## History\n- 2025-01-01T00:00:00Z: [CREATE] made\n- 2025-01-01T00:00:01Z: [execute] ran ok\n`,
  );
  assert.deepEqual(
    doc.history.map((h) => [h.timestamp, h.action, h.text]),
    [
      ['2025-01-01T00:00:00Z', 'CREATE', 'made'],
      ['2025-01-01T00:00:01Z', 'EXECUTE', 'ran ok'],
    ],
  );
});

test('an unmodified document keeps its exact text: CRLF and BOM included', () => {
  const bytes = readFileSync(join(FIXTURES, 'valid/crlf-bom.maml.md'));
  const doc = parseBytes(bytes);
  assert.equal(doc.hasBom, true);
  assert.equal(doc.lineEnding, '\r\n');
  assert.deepEqual(Buffer.from(doc.text, 'utf8'), bytes);
  assert.equal(doc.blocks[0]?.code, 'print("hi")\n', 'code is read with LF line endings');
  assert.equal(doc.frontMatter?.value?.['type'], 'workflow');
});
