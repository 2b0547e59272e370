import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendHistory, parse, setFrontMatter } from '../../src/format/index.js';

const DOC = `---
maml_version: "1.0"  # the version
type: workflow
---

## Intent

Something.

## History

- 2025-01-01T00:00:00Z: [CREATE] made

## Notes

Trailing section.
`;

test('appendHistory adds lines at the end of History and leaves everything else untouched', () => {
  const doc = parse(DOC);
  const out = appendHistory(doc, [
    { time: new Date('2025-02-03T04:05:06.789Z'), action: 'EXECUTE', text: 'block a ok\nin 12 ms' },
    { time: '2025-02-03T04:05:07Z', action: 'verify', text: 'all good' },
  ]);
  const added = '- 2025-02-03T04:05:06Z: [EXECUTE] block a ok in 12 ms\n- 2025-02-03T04:05:07Z: [VERIFY] all good\n';
  const at = DOC.indexOf('- 2025-01-01T00:00:00Z: [CREATE] made\n') + '- 2025-01-01T00:00:00Z: [CREATE] made\n'.length;
  assert.equal(out, DOC.slice(0, at) + added + DOC.slice(at));
  const reparsed = parse(out);
  assert.deepEqual(
    reparsed.history.map((h) => h.action),
    ['CREATE', 'EXECUTE', 'VERIFY'],
  );
});

test('appendHistory creates the section when missing and keeps CRLF', () => {
  const crlf = '---\r\ntype: workflow\r\n---\r\n\r\n## Intent\r\n\r\nx\r\n';
  const out = appendHistory(parse(crlf), [{ time: '2025-01-01T00:00:00Z', action: 'CREATE', text: 'new' }]);
  assert.equal(out, `${crlf}\r\n## History\r\n- 2025-01-01T00:00:00Z: [CREATE] new\r\n`);
  assert.equal(parse(out).history.length, 1);
});

test('setFrontMatter changes one key, keeps comments and the body byte-for-byte', () => {
  const doc = parse(DOC);
  const out = setFrontMatter(doc, 'type', 'hybrid_workflow');
  assert.ok(out);
  assert.match(out, /maml_version: "1.0" # the version/);
  assert.match(out, /type: hybrid_workflow/);
  const bodyStart = DOC.indexOf('\n## Intent');
  assert.equal(out.slice(out.indexOf('\n## Intent')), DOC.slice(bodyStart));
  assert.equal(parse(out).frontMatter?.value?.['type'], 'hybrid_workflow');
  const removed = setFrontMatter(parse(out), 'type', undefined);
  assert.equal(parse(removed ?? '').frontMatter?.value?.['type'], undefined);
});

test('setFrontMatter refuses a document without readable front matter', () => {
  assert.equal(setFrontMatter(parse('## Intent\n'), 'type', 'x'), undefined);
});
