// `maml keys` end to end through the CLI entry point.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './capture.js';

test('keys generate / list --json / export-public / import across two keyrings', async () => {
  const a = await mkdtemp(join(tmpdir(), 'maml-keys-a-'));
  const b = await mkdtemp(join(tmpdir(), 'maml-keys-b-'));
  const gen = await runCli(['keys', 'generate', '--name', 'alice', '--keyring', a]);
  assert.equal(gen.code, 0, gen.stderr);
  assert.match(gen.stderr, /unencrypted/);
  assert.equal((await runCli(['keys', 'generate', '--name', 'alice-kem', '--alg', 'kem-pq', '--keyring', a])).code, 0);
  const again = await runCli(['keys', 'generate', '--name', 'alice', '--keyring', a]);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /--force/);

  const listed = JSON.parse((await runCli(['keys', 'list', '--json', '--keyring', a])).stdout) as {
    name: string;
    alg: string;
  }[];
  assert.deepEqual(
    listed.map((e) => [e.name, e.alg]),
    [
      ['alice', 'ml-dsa-65'],
      ['alice-kem', 'x25519-ml-kem-1024'],
    ],
  );
  const exported = await runCli(['keys', 'export-public', 'alice', '--keyring', a]);
  assert.equal(exported.code, 0);
  const file = join(b, 'alice.pub');
  await writeFile(file, exported.stdout);
  const imported = await runCli(['keys', 'import', 'alice.pub', '--keyring', 'ring'], b);
  assert.equal(imported.code, 0, imported.stderr);
  assert.match(imported.stdout, /trusted/);
  const untrust = await runCli(['keys', 'untrust', 'alice', '--keyring', 'ring'], b);
  assert.equal(untrust.code, 0, untrust.stderr);
  const after = JSON.parse((await runCli(['keys', 'list', '--json', '--keyring', 'ring'], b)).stdout) as {
    trusted: boolean;
  }[];
  assert.deepEqual(
    after.map((e) => e.trusted),
    [false],
  );
  assert.equal((await runCli(['keys', 'trust', 'alice', '--keyring', 'ring'], b)).code, 0);
});

test('keys usage errors exit 2 with a hint', async () => {
  const r = await runCli(['keys', 'generate', '--alg', 'aes-2048', '--keyring', await mkdtemp(join(tmpdir(), 'k-'))]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown --alg/);
  assert.equal((await runCli(['keys'])).code, 2);
  assert.equal(
    (await runCli(['keys', 'export-public', 'nobody', '--keyring', await mkdtemp(join(tmpdir(), 'k-'))])).code,
    2,
  );
});
