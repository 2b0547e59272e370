// The front-matter `encryption:` values people write map to a real mode; impossible AES sizes get the strongest
// mode plus a warning that AES keys are 128, 192 or 256 bits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveEncryptionMode } from '../../src/format/index.js';

const codes = (v: string): string[] => resolveEncryptionMode(v).diagnostics.map((d) => d.code);

test('real AES-256 spellings map to standard without warnings', () => {
  for (const v of ['aes-256', 'AES-256', '256-bit AES', 'AES256', 'standard']) {
    assert.equal(resolveEncryptionMode(v).mode, 'standard', v);
    assert.deepEqual(codes(v), [], v);
  }
});

test('impossible AES key sizes map to pq with a warning', () => {
  for (const v of ['aes-512', '512-bit AES', '2048-AES', 'AES-1024']) {
    const r = resolveEncryptionMode(v);
    assert.equal(r.mode, 'pq', v);
    assert.deepEqual(codes(v), ['aes_key_size_impossible'], v);
    assert.equal(r.diagnostics[0]?.severity, 'warning');
    assert.match(r.diagnostics[0]?.message ?? '', /128-, 192- and 256-bit/);
  }
});

test('"512-bit AES + CRYSTALS-Dilithium": pq, warning about AES, note that Dilithium (ML-DSA) is a signature', () => {
  const r = resolveEncryptionMode('512-bit AES + CRYSTALS-Dilithium');
  assert.equal(r.mode, 'pq');
  assert.deepEqual(codes('512-bit AES + CRYSTALS-Dilithium').sort(), [
    'aes_key_size_impossible',
    'signature_is_not_encryption',
  ]);
});

test('post-quantum names map to pq; unknown values are an error with no mode', () => {
  for (const v of ['pq', 'post-quantum', 'ML-KEM-1024']) assert.equal(resolveEncryptionMode(v).mode, 'pq', v);
  assert.equal(resolveEncryptionMode('aes-128').mode, 'standard');
  assert.deepEqual(codes('aes-128'), ['aes_key_size_raised']);
  const r = resolveEncryptionMode('rot13');
  assert.equal(r.mode, undefined);
  assert.equal(r.diagnostics[0]?.severity, 'error');
  assert.equal(resolveEncryptionMode(42).mode, undefined);
  assert.equal(resolveEncryptionMode({ mode: 'pq' }).mode, 'pq');
  assert.equal(resolveEncryptionMode({ algorithm: 'AES-256' }).mode, 'standard');
});
