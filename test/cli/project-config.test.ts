// The project config file .maml.yaml: the project's flat keys, and the shape the MAML guides (the seed
// documents) write, read with the guides' own YAML: what has a meaning is mapped, the rest ignored with one
// warning naming the file and the keys, never refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  databaseUrlFrom,
  loadProjectConfig,
  parseMemorySize,
  reportConfigWarnings,
} from '../../src/cli/project-config.js';
import { MamlError } from '../../src/shared/index.js';
import { SEED_000, SEED_001_BLOCKCHAIN, SEED_001_FEDERATED, SEED_001_LLM } from '../helpers/seed-config.js';
import { runCli } from './capture.js';

function configDir(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'maml-config-'));
  writeFileSync(join(dir, '.maml.yaml'), yaml);
  return dir;
}

const NO_DB_ENV = {};

test('.maml.yaml is found from a subdirectory and read as heads and identity', () => {
  const dir = configDir('heads:\n  quantum: 1\n  ai: 3\nidentity: agent://lab/alice\nhistory: full\n');
  mkdirSync(join(dir, 'sub'));
  assert.deepEqual(loadProjectConfig(join(dir, 'sub')), {
    path: join(dir, '.maml.yaml'),
    heads: 'quantum:1,ai:3',
    identity: 'agent://lab/alice',
    history: 'full',
    warnings: [],
  });
});

test("seed 000's .maml.yaml: resources, encryption and database mapped, the rest ignored with one warning", () => {
  const dir = configDir(SEED_000);
  const config = loadProjectConfig(dir, NO_DB_ENV);
  assert.equal(config.memoryLimitBytes, 1024 * 2 ** 20);
  assert.equal(config.concurrency, 1000);
  assert.equal(config.encryption, 'aes-512');
  assert.equal(config.databaseUrl, undefined);
  assert.deepEqual(config.warnings, [
    'ignored (no meaning in MAML Gateway): maml.workflow, maml.database.type',
    'maml.database.engine is postgresql but no connection is given: set maml.database.url or DATABASE_URL; until then the embedded database is used',
  ]);
  // With DATABASE_URL set, PostgreSQL is what the engine asks for: no warning about it.
  assert.equal(loadProjectConfig(dir, { DATABASE_URL: 'postgres://db/maml' }).warnings.length, 1);
});

test("seed 001's three .maml.yaml examples: encryption read at the top level, federated, blockchain and llm ignored", () => {
  const federated = loadProjectConfig(configDir(SEED_001_FEDERATED), NO_DB_ENV);
  assert.equal(federated.encryption, 'aes-512');
  assert.deepEqual(federated.warnings, ['ignored (no meaning in MAML Gateway): federated']);
  assert.deepEqual(loadProjectConfig(configDir(SEED_001_BLOCKCHAIN)).warnings, [
    'ignored (no meaning in MAML Gateway): blockchain',
  ]);
  assert.deepEqual(loadProjectConfig(configDir(SEED_001_LLM)).warnings, ['ignored (no meaning in MAML Gateway): llm']);
});

test('an unknown key is a warning naming it and the nearest known key, not an error', () => {
  const config = loadProjectConfig(configDir('head: quantum:2\nmaml:\n  resource:\n    memory_limit: 2GB\n'));
  assert.deepEqual(config.warnings, [
    'unknown key `head` ignored (did you mean `heads`?)',
    'unknown key `maml.resource` ignored (did you mean `maml.resources`?)',
  ]);
  assert.equal(config.heads, undefined);
  assert.deepEqual(loadProjectConfig(configDir('zzz: 1\n')).warnings, ['unknown key `zzz` ignored']);
});

test('values: bad resources are warned about and ignored; bad heads, identity or history are usage errors', () => {
  const config = loadProjectConfig(configDir('resources:\n  memory_limit: lots\n  concurrent_tasks: -1\n'));
  assert.equal(config.memoryLimitBytes, undefined);
  assert.equal(config.concurrency, undefined);
  assert.equal(config.warnings.length, 2);
  for (const yaml of ['identity: 42\n', 'history: tiny\n', 'maml:\n  heads: [1]\n'])
    assert.throws(
      () => loadProjectConfig(configDir(yaml)),
      (e: unknown) => e instanceof MamlError && e.code === 'usage',
      yaml,
    );
  assert.deepEqual(['512MB', '2 GiB', '1024m', '1.5G', '1024', 'lots'].map(parseMemorySize), [
    512 * 2 ** 20,
    2 * 2 ** 30,
    2 ** 30,
    1.5 * 2 ** 30,
    undefined,
    undefined,
  ]);
});

test('database.url selects PostgreSQL unless DATABASE_URL is set (an empty DATABASE_URL asks for the embedded one)', () => {
  const config = loadProjectConfig(
    configDir('maml:\n  database:\n    engine: postgresql\n    url: postgres://h/db\n'),
    {},
  );
  assert.equal(databaseUrlFrom(config, {}), 'postgres://h/db');
  assert.equal(databaseUrlFrom(config, { DATABASE_URL: 'postgres://other/db' }), 'postgres://other/db');
  assert.equal(databaseUrlFrom(config, { DATABASE_URL: '' }), undefined);
  const sqlite = loadProjectConfig(configDir('database:\n  engine: sqlite\n'));
  assert.match(sqlite.warnings[0] ?? '', /"sqlite" is not supported/);
});

test('warnings are printed once per file, however often it is loaded', () => {
  const dir = configDir(SEED_001_LLM);
  const printed: string[] = [];
  for (let i = 0; i < 3; i++) reportConfigWarnings(loadProjectConfig(dir), (t) => printed.push(t));
  assert.deepEqual(printed, [`warning: ${join(dir, '.maml.yaml')}: ignored (no meaning in MAML Gateway): llm`]);
});

test('maml encrypt takes its default mode from encryption.type, mapping aes-512 to pq with a warning', async () => {
  const dir = configDir(SEED_000);
  const ring = join(dir, 'ring');
  assert.equal((await runCli(['keys', 'generate', '--name', 'alice', '--alg', 'kem-pq', '--keyring', ring])).code, 0);
  writeFileSync(join(dir, 'doc.maml.md'), '---\nid: "urn:x"\n---\n\n## Intent\n\nSecret.\n');
  const enc = await runCli(['encrypt', 'doc.maml.md', '--to', 'alice', '--keyring', ring], dir);
  assert.equal(enc.code, 0, enc.stderr);
  assert.match(enc.stderr, /\.maml\.yaml: warning aes_key_size_impossible/);
  assert.match(enc.stderr, /→ doc\.maml\.md\.enc \(pq, 1 recipient\)/);
  assert.equal(enc.stderr.match(/ignored \(no meaning/g)?.length, 1, 'the ignored keys are named once');
});
