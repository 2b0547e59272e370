// The fixture corpus: each test/fixtures/<group>/<name>.maml.md has <name>.expected.json listing, per profile, every
// diagnostic as `line:col severity code`. Valid fixtures must produce none.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseBytes, validate } from '../../src/format/index.js';
import { FIXTURES } from '../helpers/paths.js';

const groups = ['valid', 'invalid', 'dialects'];
let cases = 0;
for (const group of groups) {
  for (const name of readdirSync(join(FIXTURES, group)).filter((f) => f.endsWith('.maml.md'))) {
    const file = join(FIXTURES, group, name);
    const expected = JSON.parse(readFileSync(file.replace(/\.maml\.md$/, '.expected.json'), 'utf8')) as Record<
      string,
      string[]
    >;
    cases++;
    test(`fixture ${group}/${name}`, () => {
      const doc = parseBytes(readFileSync(file));
      for (const profile of ['lenient', 'strict'] as const) {
        const got = validate(doc, { profile }).map((d) => `${d.line}:${d.column} ${d.severity} ${d.code}`);
        assert.deepEqual(got, expected[profile], `${profile} profile`);
        if (group === 'valid') assert.deepEqual(got, [], 'valid fixtures have no diagnostics');
      }
    });
  }
}

test('the fixture corpus is not empty', () => {
  assert.ok(cases >= 15, `only ${cases} fixtures found`);
});
