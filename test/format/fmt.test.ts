import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { format, parse, parseBytes, validate } from '../../src/format/index.js';
import { FIXTURES, ROOT } from '../helpers/paths.js';

const SEED = `---
context: fraud
schema: maml-1.0
tags: [a, b]
---
## Context
Some prose.   \r
\r
\r
## Code_Blocks
\`\`\`python
x = 1   
\`\`\`
`;

test('fmt puts maml_version first, converts the schema: dialect and normalizes blank lines', () => {
  const out = format(parse(SEED));
  assert.equal(
    out,
    `---
maml_version: "1.0"
tags: [a, b]
context: fraud
---

## Context

Some prose.

## Code_Blocks

\`\`\`python
x = 1   
\`\`\`
`,
  );
});

test('fmt is idempotent on every fixture and example', () => {
  const files = [
    ...['valid', 'invalid', 'dialects'].flatMap((g) =>
      readdirSync(join(FIXTURES, g))
        .filter((f) => f.endsWith('.maml.md'))
        .map((f) => join(FIXTURES, g, f)),
    ),
    ...readdirSync(join(ROOT, 'examples'))
      .filter((f) => f.endsWith('.maml.md'))
      .map((f) => join(ROOT, 'examples', f)),
  ];
  assert.ok(files.length > 10);
  for (const file of files) {
    const once = format(parseBytes(readFileSync(file)));
    assert.equal(format(parse(once)), once, file);
  }
});

test('fmt output of a lenient-dialect document keeps the code blocks unchanged', () => {
  const doc = parseBytes(readFileSync(join(FIXTURES, 'dialects/seed-dialect.maml.md')));
  const out = parse(format(doc));
  assert.deepEqual(
    out.blocks.map((b) => b.code),
    doc.blocks.map((b) => b.code),
  );
  assert.equal(out.frontMatter?.value?.['maml_version'], '1.0');
  assert.ok(!validate(out, { profile: 'strict' }).some((d) => d.code === 'legacy_dialect'));
});

test('examples are in canonical layout', () => {
  for (const f of readdirSync(join(ROOT, 'examples')).filter((n) => n.endsWith('.maml.md'))) {
    const text = readFileSync(join(ROOT, 'examples', f), 'utf8');
    assert.equal(format(parse(text)), text, f);
  }
});
