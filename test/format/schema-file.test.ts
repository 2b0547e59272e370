// schema/maml.schema.json and the generated validators come from FRONT_MATTER_SCHEMA and Ajv; they must match what
// they are generated from, and the validators must answer as Ajv compiling the schemas at run time does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { FRONT_MATTER_SCHEMA, checkSchema, parse, validateAgainst } from '../../src/format/index.js';
import { validateFrontMatterShape } from '../../src/format/json-schema.js';
import { linearRegExp } from '../../src/format/linear-regexp.js';
import { ROOT } from '../helpers/paths.js';

test('the published JSON Schema matches the one the validator uses', () => {
  const published = JSON.parse(readFileSync(join(ROOT, 'schema/maml.schema.json'), 'utf8')) as unknown;
  assert.deepEqual(published, JSON.parse(JSON.stringify(FRONT_MATTER_SCHEMA)), 'run `npm run schema` to regenerate');
});

test('the front matter schema is itself valid and accepts the quick-start front matter', () => {
  assert.deepEqual(checkSchema(FRONT_MATTER_SCHEMA), []);
  const ok = {
    maml_version: '1.0',
    id: 'urn:uuid:6f1c2a9e-3b7d-4c8e-9a21-5d4e8f0b7c13',
    type: 'hybrid_workflow',
    origin: 'agent://local/quickstart',
    permissions: { execute: ['agent://*'], network: ['api.example.org:443'] },
  };
  assert.deepEqual(validateAgainst(FRONT_MATTER_SCHEMA, ok), []);
  const bad = validateAgainst(FRONT_MATTER_SCHEMA, { ...ok, quantum_security_flag: 'yes' });
  assert.equal(bad[0]?.path, '/quantum_security_flag');
});

test('the generated validators are those Ajv generates now (npm run schema regenerates them)', async () => {
  const script = pathToFileURL(join(ROOT, 'scripts/write-schema-validators.mjs')).href;
  const { validatorSource } = (await import(script)) as { validatorSource: () => string };
  const committed = readFileSync(join(ROOT, 'src/format/generated/schema-validators.ts'), 'utf8');
  assert.ok(
    committed === validatorSource(),
    'src/format/generated/schema-validators.ts is stale: run `npm run schema`',
  );
});

/** Every document under test/fixtures and examples/, with its parsed front matter and its schemas. */
function corpus(): { name: string; frontMatter: unknown; schemas: unknown[] }[] {
  const dirs = ['test/fixtures/valid', 'test/fixtures/invalid', 'test/fixtures/dialects', 'examples'];
  return dirs.flatMap((dir) =>
    readdirSync(join(ROOT, dir))
      .filter((name) => name.endsWith('.maml.md'))
      .map((name) => {
        const doc = parse(readFileSync(join(ROOT, dir, name), 'utf8'));
        return {
          name: `${dir}/${name}`,
          frontMatter: doc.frontMatter?.value,
          schemas: [doc.inputSchema?.value, doc.outputSchema?.value].filter((s) => s !== undefined),
        };
      }),
  );
}

test('differential: the generated validators report exactly what Ajv compiling the schemas at run time reports', () => {
  const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: false, code: { regExp: linearRegExp } });
  const runtimeFrontMatter = ajv.compile(FRONT_MATTER_SCHEMA);
  const documents = corpus();
  assert.ok(documents.length > 10, `only ${documents.length} documents`);
  const handMade: unknown[] = [
    { type: 'strnig' },
    { properties: { a: { minimum: 'x' } } },
    { $defs: { a: { $anchor: '1bad' } }, required: ['a', 'a'] },
    { type: 'object', properties: { n: { type: 'integer', default: 3 } }, additionalProperties: false },
    { items: [], prefixItems: [{ enum: [] }] },
    true,
    42,
  ];
  let frontMatters = 0;
  let rejected = 0;
  for (const { name, frontMatter, schemas } of [
    ...documents,
    { name: 'hand-made', frontMatter: undefined, schemas: handMade },
  ]) {
    if (frontMatter !== undefined) {
      frontMatters++;
      const expected = runtimeFrontMatter(frontMatter) ? [] : (runtimeFrontMatter.errors ?? []);
      const got = validateFrontMatterShape(frontMatter);
      assert.deepEqual(
        got.map((i) => [i.path, i.keyword, i.message]),
        expected.map((e) => [e.instancePath, e.keyword, e.message]),
        name,
      );
      if (got.length > 0) rejected++;
    }
    for (const schema of schemas) {
      if (typeof schema !== 'object' && typeof schema !== 'boolean') continue;
      const valid = ajv.validateSchema(schema as object);
      const issues = checkSchema(schema);
      if (!valid)
        assert.deepEqual(
          issues.map((i) => [i.path, i.keyword, i.message]),
          (ajv.errors ?? []).map((e) => [e.instancePath, e.keyword, e.message]),
          `${name}: ${JSON.stringify(schema)}`,
        );
      else
        assert.ok(
          issues.every((i) => i.keyword === 'compile'),
          `${name}: ${JSON.stringify(issues)}`,
        );
    }
  }
  // The corpus exercises both answers.
  assert.ok(frontMatters > 10 && rejected > 0, `${frontMatters} front matters, ${rejected} rejected`);
  assert.ok(checkSchema({ type: 'strnig' }).length > 0);
});
