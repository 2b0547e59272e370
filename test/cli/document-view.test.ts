// The document view the crypto commands read: front matter split, fields with places, blocks, ticket lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readDocumentView, splitFrontMatter } from '../../src/cli/document-view.js';
import { hashAttributes } from '../../src/crypto/index.js';

const TEXT = `---
id: "urn:x"
encryption: aes-512
---

## Code_Blocks

\`\`\`python {#a}
print(1)
\`\`\`

~~~js
x()
~~~

## History

- 2026-11-21T12:00:00Z: [CREATE] hi
- 2026-11-21T12:00:01Z: [TICKET] abc.def
- 2026-11-21T12:00:02Z: [TICKET] not a ticket
`;

test('front matter split keeps delimiters; fields and their lines are read', () => {
  const { frontMatter, body } = splitFrontMatter(TEXT);
  assert.equal(frontMatter, '---\nid: "urn:x"\nencryption: aes-512\n---\n');
  assert.equal(frontMatter + body, TEXT);
  const doc = readDocumentView(TEXT);
  assert.equal(doc.fields['encryption'], 'aes-512');
  assert.equal(doc.fieldPlaces.get('encryption')?.line, 3);
  assert.deepEqual(splitFrontMatter('# no front matter\n'), { frontMatter: '', body: '# no front matter\n' });
});

test('code blocks by #id or block-N, and History ticket lines with positions', () => {
  const doc = readDocumentView(TEXT);
  assert.deepEqual(
    [...doc.blocks],
    [
      ['a', 'print(1)\n'],
      ['block-2', 'x()\n'],
    ],
  );
  assert.deepEqual(
    doc.tickets.map((t) => [t.compact, t.parsed, t.place.line]),
    [
      ['abc.def', true, 19],
      ['- 2026-11-21T12:00:02Z: [TICKET] not a ticket', false, 20],
    ],
  );
  assert.equal(doc.historyPlace?.line, 16);
});

test('History provenance lines of both forms, [EXECUTE] records and [REGENERATE] lines; block facts', () => {
  const leaf = 'ab'.repeat(32);
  const text = `---
id: "urn:x"
---

## Code_Blocks

\`\`\`qasm {#bell shots=100 seed=7}
OPENQASM 3.0;
\`\`\`

\`\`\`python {#post needs=bell}
print(1)
\`\`\`

## History

- 2026-11-21T12:00:01Z: [TICKET] log=4 leaf=${leaf} run=r1 block=bell
- 2026-11-21T12:00:02Z: [REGENERATE] run r1: block post lost head exited; retried as attempt 2
- 2026-11-21T12:00:03Z: [EXECUTE] run r1 failed: post said "[TICKET] abc.def" {record log=5 leaf=${leaf}}
- 2026-11-21T12:00:04Z: [EXECUTE] run r0 succeeded in 1.00 s
`;
  const doc = readDocumentView(text);
  assert.deepEqual(
    doc.tickets.map((t) => [t.parsed, t.logRef, t.place.line]),
    [[true, { logIndex: 4, leafHash: leaf, runId: 'r1', blockId: 'bell' }, 17]],
  );
  assert.deepEqual(
    doc.executes.map((e) => [e.text, e.logRef, e.record, e.place.line]),
    [
      ['run r1 failed: post said "[TICKET] abc.def"', { logIndex: 5, leafHash: leaf }, undefined, 19],
      ['run r0 succeeded in 1.00 s', undefined, undefined, 20],
    ],
  );
  assert.deepEqual(
    doc.regenerates.map((r) => r.text),
    ['run r1: block post lost head exited; retried as attempt 2'],
  );
  assert.deepEqual(doc.facts.get('bell'), {
    lang: 'qasm',
    attrsHash: hashAttributes({ shots: '100', seed: '7' }),
    upstream: [],
  });
  assert.deepEqual(doc.facts.get('post')?.upstream, ['bell']);
});
