// The interim document reader used by the crypto commands until the format parser replaces it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readInterimDocument, splitFrontMatter } from '../../src/cli/interim-maml.js';

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
  const doc = readInterimDocument(TEXT);
  assert.equal(doc.fields['encryption'], 'aes-512');
  assert.equal(doc.fieldPlaces.get('encryption')?.line, 3);
  assert.deepEqual(splitFrontMatter('# no front matter\n'), { frontMatter: '', body: '# no front matter\n' });
});

test('code blocks by #id or block-N, and History ticket lines with positions', () => {
  const doc = readInterimDocument(TEXT);
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
