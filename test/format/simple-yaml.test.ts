// Differential test: the fast front matter reader must agree with the `yaml` library wherever it answers, and it
// must really answer for the front matter people write (otherwise the fast path silently never runs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { isMap, isPair, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import { readSimpleYaml } from '../../src/format/simple-yaml.js';
import { FIXTURES, ROOT } from '../helpers/paths.js';

/** Start offsets of every scalar value and key, by path, as the yaml library reports them. */
function libraryStarts(src: string): Map<string, number> {
  const out = new Map<string, number>();
  const walk = (node: unknown, path: string): void => {
    if (isMap(node)) {
      for (const item of node.items) {
        if (!isPair(item) || !isScalar(item.key)) continue;
        const p = `${path}/${String(item.key.value)}`;
        out.set(`${p}#key`, (item.key.range as [number, number, number])[0]);
        walk(item.value, p);
      }
    } else if (isSeq(node)) node.items.forEach((item, i) => walk(item, `${path}/${i}`));
    else if (isScalar(node) && node.value !== null)
      out.set(path, ((node as Node).range as [number, number, number])[0]);
  };
  walk(parseDocument(src).contents, '');
  return out;
}

function agree(src: string): boolean {
  const fast = readSimpleYaml(src);
  if (!fast) return false;
  const doc = parseDocument(src, { version: '1.2', uniqueKeys: true });
  assert.equal(doc.errors.length, 0, `fast reader accepted YAML the library rejects:\n${src}`);
  assert.deepEqual(fast.value, doc.toJS() ?? {}, src);
  for (const [path, start] of libraryStarts(src)) {
    assert.equal(fast.ranges.get(path)?.[0], start, `start of ${path} in:\n${src}`);
  }
  return true;
}

function frontMatterOf(file: string): string | undefined {
  const text = readFileSync(file, 'utf8')
    .replace(/^\uFEFF/, '')
    .replace(/\r\n/g, '\n');
  const m = /^---\n([\s\S]*?)\n---/.exec(text);
  return m ? `${m[1]}\n` : undefined;
}

test('fast reader agrees with the yaml library on every fixture and example, and answers for the examples', () => {
  const files = [
    ...readdirSync(join(ROOT, 'examples'))
      .filter((f) => f.endsWith('.maml.md'))
      .map((f) => join(ROOT, 'examples', f)),
    ...['valid', 'invalid', 'dialects'].flatMap((g) =>
      readdirSync(join(FIXTURES, g))
        .filter((f) => f.endsWith('.maml.md'))
        .map((f) => join(FIXTURES, g, f)),
    ),
  ];
  let answered = 0;
  for (const file of files) {
    const src = frontMatterOf(file);
    if (src !== undefined && agree(src)) answered++;
  }
  assert.ok(answered >= 12, `fast path answered for only ${answered} documents`);
  for (const f of ['quickstart.maml.md', 'fraud-detection.maml.md']) {
    assert.ok(readSimpleYaml(frontMatterOf(join(ROOT, 'examples', f)) ?? ''), `${f} must take the fast path`);
  }
});

test('fast reader resolves scalars by the YAML 1.2 core schema', () => {
  const src =
    'a: 1\nb: -2.5e3\nc: 0x1F\nd: 0o17\ne: true\nf: False\ng: ~\nh:\ni: yes\nj: "x\\ty"\nk: \'it\'\'s\'\nl: .inf\nm: 2025-01-01T00:00:00Z\nn: [1, two, "3"]\no: {p: null, q: x y}\n';
  assert.ok(agree(src));
  const value = readSimpleYaml(src)?.value;
  assert.equal(value?.['i'], 'yes', 'YAML 1.2: yes is a string');
  assert.equal(value?.['m'], '2025-01-01T00:00:00Z', 'timestamps stay strings');
});

test('fast reader falls back on what it does not handle', () => {
  for (const src of [
    'a: &x 1\nb: *x\n',
    'a: !!str 1\n',
    'a: |\n  text\n',
    'a: [1, [2]]\n',
    'a: 1\na: 2\n',
    'a:\n\tb: 1\n',
    'a: b: c\n',
    '- a\n- b\n',
    'a: plain\n  continued\n',
    '"quoted key": 1\n',
    'list:\n  - k: v\n',
  ]) {
    assert.equal(readSimpleYaml(src), undefined, src);
  }
});

const scalarArb = fc.oneof(
  fc.constantFrom(
    '1',
    '-3',
    '0.5',
    'true',
    'null',
    '~',
    'x',
    'agent://a/*',
    'urn:uuid:1',
    '"q # not comment"',
    "'s'",
    '2025-01-01T00:00:00Z',
    '1e3',
    'a b',
  ),
  fc.stringMatching(/^[a-z][a-z0-9 ._/-]{0,10}[a-z0-9]$/),
);
const keyArb = fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/);
const entryArb: fc.Arbitrary<string> = fc.letrec((tie) => ({
  map: fc
    .uniqueArray(fc.tuple(keyArb, fc.oneof(scalarArb, tie('nested'), tie('flow'), tie('seq'))), {
      minLength: 1,
      maxLength: 4,
      selector: (t) => t[0],
    })
    .map((pairs) =>
      pairs.map(([k, v]) => (String(v).startsWith('\n') ? `${k}:${String(v)}` : `${k}: ${String(v)}`)).join('\n'),
    ),
  nested: fc
    .uniqueArray(fc.tuple(keyArb, scalarArb), { minLength: 1, maxLength: 3, selector: (t) => t[0] })
    .map((pairs) => `\n${pairs.map(([k, v]) => `  ${k}: ${v}`).join('\n')}`),
  seq: fc
    .array(scalarArb, { minLength: 1, maxLength: 3 })
    .map((items) => `\n${items.map((v) => `  - ${v}`).join('\n')}`),
  flow: fc.array(scalarArb, { maxLength: 3 }).map((items) => `[${items.join(', ')}]`),
})).map as fc.Arbitrary<string>;

test('fast reader agrees with the yaml library on generated front matter', () => {
  let answered = 0;
  fc.assert(
    fc.property(entryArb, fc.boolean(), (body, comment) => {
      const src = `${body}${comment ? ' # note' : ''}\n`;
      if (agree(src)) answered++;
    }),
    { numRuns: 500 },
  );
  assert.ok(answered > 250, `fast path answered only ${answered} of 500`);
});
