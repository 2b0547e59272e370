// `maml encrypt` / `maml decrypt` end to end: several recipients, the front-matter mode mapping, and clean
// failures (exit 1, code crypto, no output file) for a wrong key, a modified or truncated file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './capture.js';

const DOC = `---
id: "urn:uuid:0d7c"
encryption: 512-bit AES + CRYSTALS-Dilithium
---

## Intent

Confidential scoring workflow.

\`\`\`python {#score}
print("secret")
\`\`\`
`;

async function setup(): Promise<{ dir: string; ringA: string; ringC: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'maml-enc-'));
  const ringA = join(dir, 'ring-a');
  const ringC = join(dir, 'ring-c');
  for (const [name, ring] of [
    ['alice', ringA],
    ['bob', ringA],
    ['carol', ringC],
  ] as const)
    assert.equal((await runCli(['keys', 'generate', '--name', name, '--alg', 'kem-pq', '--keyring', ring])).code, 0);
  await writeFile(join(dir, 'doc.maml.md'), DOC);
  return { dir, ringA, ringC };
}

test('encrypt to two recipients, front matter stays readable, decrypt restores the file exactly', async () => {
  const { dir, ringA } = await setup();
  const enc = await runCli(['encrypt', 'doc.maml.md', '--to', 'alice', '--to', 'bob', '--keyring', ringA], dir);
  assert.equal(enc.code, 0, enc.stderr);
  assert.match(enc.stderr, /aes_key_size_impossible/);
  assert.match(enc.stderr, /signature_is_not_encryption/);
  const encrypted = await readFile(join(dir, 'doc.maml.md.enc'), 'utf8');
  assert.ok(encrypted.startsWith(DOC.slice(0, DOC.indexOf('\n---\n') + 5)), 'front matter kept verbatim');
  assert.ok(!encrypted.includes('secret'), 'body is not in clear');
  const dec = await runCli(['decrypt', 'doc.maml.md.enc', '-o', 'out.maml.md', '--keyring', ringA], dir);
  assert.equal(dec.code, 0, dec.stderr);
  assert.equal(await readFile(join(dir, 'out.maml.md'), 'utf8'), DOC);
});

test('wrong keyring, modified or truncated file: exit 1 (crypto) and nothing written', async () => {
  const { dir, ringA, ringC } = await setup();
  assert.equal((await runCli(['encrypt', 'doc.maml.md', '--to', 'alice', '--keyring', ringA], dir)).code, 0);
  const encrypted = await readFile(join(dir, 'doc.maml.md.enc'), 'utf8');
  const before = (await readdir(dir)).sort();

  const wrong = await runCli(['decrypt', 'doc.maml.md.enc', '-o', 'x.md', '--keyring', ringC], dir);
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /crypto/);

  const lines = encrypted.split('\n');
  const mid = lines.findIndex((l) => l.startsWith('-----BEGIN')) + 3;
  const line = lines[mid] as string;
  lines[mid] = (line[0] === 'A' ? 'B' : 'A') + line.slice(1);
  await writeFile(join(dir, 'modified.enc'), lines.join('\n'));
  const modified = await runCli(['decrypt', 'modified.enc', '-o', 'y.md', '--keyring', ringA], dir);
  assert.equal(modified.code, 1);
  assert.match(modified.stderr, /crypto/);

  await writeFile(join(dir, 'truncated.enc'), encrypted.slice(0, Math.floor(encrypted.length * 0.8)));
  const truncated = await runCli(['decrypt', 'truncated.enc', '-o', 'z.md', '--keyring', ringA], dir);
  assert.equal(truncated.code, 1);

  await writeFile(join(dir, 'fm.enc'), encrypted.replace('urn:uuid:0d7c', 'urn:uuid:0d7d'));
  assert.equal((await runCli(['decrypt', 'fm.enc', '-o', 'w.md', '--keyring', ringA], dir)).code, 1);

  const after = (await readdir(dir)).filter((n) => !['modified.enc', 'truncated.enc', 'fm.enc'].includes(n)).sort();
  assert.deepEqual(after, before, 'no output or temporary file was left behind');
});

test('encrypt refuses a signing key as recipient and a mode that does not match the keys', async () => {
  const { dir, ringA } = await setup();
  assert.equal((await runCli(['keys', 'generate', '--name', 'signer', '--keyring', ringA])).code, 0);
  assert.equal((await runCli(['encrypt', 'doc.maml.md', '--to', 'signer', '--keyring', ringA], dir)).code, 2);
  assert.equal(
    (await runCli(['encrypt', 'doc.maml.md', '--to', 'alice', '--mode', 'standard', '--keyring', ringA], dir)).code,
    2,
  );
  assert.equal((await runCli(['encrypt', 'doc.maml.md', '--keyring', ringA], dir)).code, 2);
});

test('passphrase-protected encryption key: decrypt needs the passphrase (file or environment)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'maml-enc-pass-'));
  const ring = join(dir, 'ring');
  await writeFile(join(dir, 'pass.txt'), 'correct horse battery staple\n');
  const gen = await runCli([
    'keys',
    'generate',
    '--name',
    'dora',
    '--alg',
    'kem-standard',
    '--keyring',
    ring,
    '--passphrase-file',
    join(dir, 'pass.txt'),
  ]);
  assert.equal(gen.code, 0, gen.stderr);
  assert.doesNotMatch(gen.stderr, /unencrypted/);
  await writeFile(join(dir, 'doc.maml.md'), DOC.replace('512-bit AES + CRYSTALS-Dilithium', 'aes-256'));
  assert.equal((await runCli(['encrypt', 'doc.maml.md', '--to', 'dora', '--keyring', ring], dir)).code, 0);
  const saved = process.env['MAML_KEY_PASSPHRASE'];
  delete process.env['MAML_KEY_PASSPHRASE'];
  try {
    const without = await runCli(['decrypt', 'doc.maml.md.enc', '--keyring', ring], dir);
    assert.equal(without.code, 1);
    assert.match(without.stderr, /passphrase/);
    const withFile = await runCli(
      ['decrypt', 'doc.maml.md.enc', '-o', 'plain.maml.md', '--keyring', ring, '--passphrase-file', 'pass.txt'],
      dir,
    );
    assert.equal(withFile.code, 0, withFile.stderr);
    assert.equal(
      await readFile(join(dir, 'doc.maml.md'), 'utf8'),
      DOC.replace('512-bit AES + CRYSTALS-Dilithium', 'aes-256'),
    );
  } finally {
    if (saved !== undefined) process.env['MAML_KEY_PASSPHRASE'] = saved;
  }
});

test('a mode the keys do not fit says how to make a key of that kind and that --mode standard exists', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'maml-enc-mode-'));
  const ring = join(dir, 'ring');
  assert.equal(
    (await runCli(['keys', 'generate', '--name', 'dana', '--alg', 'kem-standard', '--keyring', ring])).code,
    0,
  );
  await writeFile(join(dir, 'doc.maml.md'), DOC.replace('512-bit AES + CRYSTALS-Dilithium', 'aes-512'));
  const r = await runCli(['encrypt', 'doc.maml.md', '--to', 'dana', '--keyring', ring], dir);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /warning aes_key_size_impossible/);
  assert.match(r.stderr, /mode pq \(the front matter's `encryption: aes-512`\) needs x25519-ml-kem-1024 keys/);
  assert.match(r.stderr, /maml keys generate --alg kem-pq --name NAME/);
  assert.match(r.stderr, /--mode standard/);
  assert.equal(
    (await runCli(['encrypt', 'doc.maml.md', '--to', 'dana', '--mode', 'standard', '--keyring', ring], dir)).code,
    0,
  );
});
