// Envelope encryption: round trip for several recipients in both modes, and clean failure (never partial
// plaintext) for a wrong key, a truncated or modified body, a modified header, or edited front matter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ARMOR_END,
  decryptBody,
  encryptBody,
  envelopeRecipients,
  fromBase64,
  hybridKeygen,
  publicKeyId,
  toBase64,
  type EnvelopeMode,
  type HybridKeyPair,
  type KemSuite,
} from '../../src/crypto/index.js';

const FM = '---\nid: "urn:uuid:1"\nencryption: aes-256\n---\n';
const BODY = new TextEncoder().encode('## Intent\n\nSecret workflow.\n\n```python {#a}\nprint(1)\n```\n');

const key = (suite: KemSuite): HybridKeyPair & { keyId: string } => {
  const pair = hybridKeygen(suite);
  return { ...pair, keyId: publicKeyId(pair.publicKey) };
};
const recipient = (k: HybridKeyPair & { keyId: string }) => ({
  keyId: k.keyId,
  suite: k.suite,
  publicKey: k.publicKey,
});

function armoredBytes(armored: string): Uint8Array {
  const b64 = armored.split('\n').slice(1, -2).join('');
  return fromBase64(b64) as Uint8Array;
}
function rearmor(armored: string, bytes: Uint8Array): string {
  const lines = armored.split('\n');
  return `${lines[0] ?? ''}\n${toBase64(bytes)}\n${ARMOR_END}\n`;
}

for (const [mode, suite] of [
  ['standard', 'x25519-ml-kem-768'],
  ['pq', 'x25519-ml-kem-1024'],
] as [EnvelopeMode, KemSuite][]) {
  test(`${mode}: every recipient decrypts; non-recipients cannot`, () => {
    const [a, b, c] = [key(suite), key(suite), key(suite)];
    const armored = encryptBody(BODY, FM, [recipient(a), recipient(b)], mode);
    assert.deepEqual(envelopeRecipients(armored), [a.keyId, b.keyId]);
    for (const k of [a, b]) assert.deepEqual(decryptBody(armored, FM, [k]), { ok: true, body: BODY });
    assert.equal(decryptBody(armored, FM, [c]).ok, false);
    // c's key under a's id: unwrapping fails instead of yielding garbage.
    assert.equal(decryptBody(armored, FM, [{ ...c, keyId: a.keyId }]).ok, false);
  });
}

test('mode and recipient key suite must agree', () => {
  assert.throws(() => encryptBody(BODY, FM, [recipient(key('x25519-ml-kem-1024'))], 'standard'), RangeError);
});

test('edited front matter, truncation and any modified byte fail authentication', () => {
  const a = key('x25519-ml-kem-768');
  const armored = encryptBody(BODY, FM, [recipient(a)], 'standard');
  assert.equal(decryptBody(armored, FM.replace('aes-256', 'none'), [a]).ok, false);
  const lines = armored.trimEnd().split('\n');
  assert.equal(decryptBody(lines.slice(0, -3).join('\n'), FM, [a]).ok, false, 'armor cut off');
  const raw = armoredBytes(armored);
  assert.equal(decryptBody(rearmor(armored, raw.subarray(0, raw.length - 1)), FM, [a]).ok, false, 'one byte short');
  // Flip one bit at a spread of positions: header, wrapped key, body, tag.
  for (const pos of [0, 9, 12, 40, 200, raw.length - 40, raw.length - 1]) {
    const copy = raw.slice();
    copy[pos] = (copy[pos] as number) ^ 0x01;
    const result = decryptBody(rearmor(armored, copy), FM, [a]);
    assert.equal(result.ok, false, `bit flip at ${pos}`);
    assert.ok(!('body' in result));
  }
});
