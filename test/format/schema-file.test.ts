// schema/maml.schema.json is generated from FRONT_MATTER_SCHEMA; it must match and be a valid draft 2020-12 schema.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FRONT_MATTER_SCHEMA, checkSchema, validateAgainst } from '../../src/format/index.js';
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
