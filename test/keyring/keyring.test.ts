// The keyring on disk: generation of each algorithm, sealed and unsealed private keys, file modes, atomic
// no-overwrite, import with trust, and the default directory rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Keyring, resolveKeyringDir, writeFileAtomic } from '../../src/keyring/index.js';
import { publicKeyId, signTicket, hashCode, hashCanonical, verifyTicket } from '../../src/crypto/index.js';

const FAST = { scrypt: { N: 2 ** 10, r: 8, p: 1 } };
const tempDir = (): Promise<string> => mkdtemp(join(tmpdir(), 'maml-keyring-'));

test('keyring directory: flag, then MAML_KEYRING, then XDG_CONFIG_HOME, then ~/.config', () => {
  assert.equal(resolveKeyringDir('k', {}, '/w'), '/w/k');
  assert.equal(resolveKeyringDir(undefined, { MAML_KEYRING: '/r' }, '/w'), '/r');
  assert.equal(resolveKeyringDir(undefined, { XDG_CONFIG_HOME: '/x' }, '/w'), '/x/maml/keyring');
  assert.equal(resolveKeyringDir(undefined, { HOME: '/home/u' }, '/w'), '/home/u/.config/maml/keyring');
});

test('generates every algorithm; key id is the first 16 bytes of SHA-256 of the public key', async () => {
  const ring = new Keyring(await tempDir(), FAST);
  for (const alg of ['ml-dsa-65', 'ml-dsa-87', 'x25519-ml-kem-768', 'x25519-ml-kem-1024'] as const) {
    const { entry } = await ring.generate(alg, alg);
    const pub = await ring.exportPublic(alg);
    assert.equal(entry.keyId, publicKeyId(new Uint8Array(Buffer.from(pub.publicKey, 'base64'))));
    assert.equal(pub.alg, alg);
  }
  assert.equal((await ring.list()).length, 4);
});

test('without a passphrase the private key is stored in clear with mode 0600 and a warning', async () => {
  const dir = await tempDir();
  const ring = new Keyring(dir, FAST);
  const { warnings } = await ring.generate('plain', 'ml-dsa-65');
  assert.equal(warnings.length, 1);
  assert.equal((await stat(join(dir, 'plain.key.json'))).mode & 0o777, 0o600);
  const key = await ring.signingKey('plain');
  assert.equal(key.alg, 'ml-dsa-65');
  assert.deepEqual(await readdir(dir), ['plain.key.json', 'plain.pub.json']);
  await chmod(join(dir, 'plain.key.json'), 0o644);
  await assert.rejects(ring.signingKey('plain'), { code: 'permission_denied' });
});

test('with a passphrase the seed is sealed; wrong or missing passphrase fails with a crypto error', async () => {
  const dir = await tempDir();
  const ring = new Keyring(dir, FAST);
  const { warnings } = await ring.generate('sealed', 'ml-dsa-65', { passphrase: 'correct horse' });
  assert.equal(warnings.length, 0);
  const file = JSON.parse(await readFile(join(dir, 'sealed.key.json'), 'utf8')) as { seed: { enc: string } };
  assert.equal(file.seed.enc, 'scrypt-aes-256-gcm');
  const key = await ring.signingKey('sealed', 'correct horse');
  const signed = signTicket(
    {
      docId: 'd',
      runId: 'r',
      blockId: 'b',
      headId: 'h',
      inputHash: hashCanonical(null),
      outputHash: hashCanonical(null),
      codeHash: hashCode('x'),
      startedAt: '2026-01-01T00:00:00Z',
      durationMs: 0,
      executor: 'shell',
      lang: 'bash',
      attrsHash: hashCanonical({}),
      upstream: [],
    },
    key,
  );
  assert.ok(verifyTicket(signed.compact, { keys: await ring.keyLookup() }).ok);
  await assert.rejects(ring.signingKey('sealed', 'wrong'), { code: 'crypto' });
  await assert.rejects(ring.signingKey('sealed'), { code: 'crypto' });
});

test('an existing name is never overwritten without force', async () => {
  const dir = await tempDir();
  const ring = new Keyring(dir, FAST);
  const first = await ring.generate('k', 'ml-dsa-65');
  await assert.rejects(ring.generate('k', 'ml-dsa-87'), { code: 'conflict' });
  assert.equal((await ring.exportPublic('k')).keyId, first.entry.keyId);
  const second = await ring.generate('k', 'ml-dsa-87', { force: true });
  assert.notEqual(second.entry.keyId, first.entry.keyId);
  assert.ok(!(await readdir(dir)).some((n) => n.endsWith('.tmp')), 'no temporary files left behind');
});

test('atomic write without overwrite refuses an existing file and leaves it intact', async () => {
  const dir = await tempDir();
  const path = join(dir, 'f.txt');
  await writeFile(path, 'old');
  await assert.rejects(writeFileAtomic(path, 'new'), { code: 'conflict' });
  assert.equal(await readFile(path, 'utf8'), 'old');
  await writeFileAtomic(path, 'new', { overwrite: true });
  assert.equal(await readFile(path, 'utf8'), 'new');
});

test('import: trusted by default, --untrusted keeps the key known but untrusted; tampered records refused', async () => {
  const alice = new Keyring(await tempDir(), FAST);
  await alice.generate('alice', 'ml-dsa-65');
  const exported = await alice.exportPublic('alice');
  const bob = new Keyring(await tempDir(), FAST);
  const trusted = await bob.importPublic(exported);
  assert.equal(trusted.trusted, true);
  assert.equal(trusted.hasSecret, false);
  const other = new Keyring(await tempDir(), FAST);
  assert.equal((await other.importPublic(exported, { trusted: false })).trusted, false);
  const lookup = await other.keyLookup();
  assert.equal(lookup(exported.keyId)?.trusted, false);
  const bad = { ...exported, keyId: '0'.repeat(32) };
  await assert.rejects(bob.importPublic(bad, { name: 'x' }), { code: 'crypto' });
  await assert.rejects(bob.importPublic(exported, { name: 'again' }), { code: 'conflict' });
});
