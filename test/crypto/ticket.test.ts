// Signed execution tickets: round trip, and every failure reason the verifier promises (bad signature,
// unknown key, untrusted key, code hash mismatch, malformed), with verifyTicket never throwing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  canonicalize,
  decodeTicket,
  fromBase64Url,
  hashCanonical,
  hashCode,
  mlDsaKeygen,
  parseTicketLine,
  publicKeyId,
  signTicket,
  ticketHistoryLine,
  toBase64Url,
  verifyTicket,
  type KeyLookup,
  type MlDsaKeyPair,
} from '../../src/crypto/index.js';

const SOURCE = 'import numpy as np\nprint(np.arange(3).sum())\n';

function fields(source = SOURCE): Parameters<typeof signTicket>[0] {
  return {
    docId: 'urn:maml:doc:quantum-demo',
    runId: 'run-2026-11-21-001',
    blockId: 'sum',
    headId: 'head-a',
    inputHash: hashCanonical({ n: 3 }),
    outputHash: hashCanonical({ stdout: '3\n' }),
    codeHash: hashCode(source),
    startedAt: '2026-11-21T21:00:00.000Z',
    durationMs: 42,
    executor: 'python@3.11',
  };
}

const lookup =
  (pairs: readonly MlDsaKeyPair[], trusted = true): KeyLookup =>
  (id) => {
    const pair = pairs.find((p) => publicKeyId(p.publicKey) === id);
    return pair ? { alg: pair.alg, publicKey: pair.publicKey, trusted } : undefined;
  };

const key = mlDsaKeygen('ml-dsa-65');
const signed = signTicket(fields(), key);

test('a signed ticket verifies and round-trips through its History line', () => {
  const line = ticketHistoryLine(signed.compact, '2026-11-21T21:00:01Z');
  const parsed = parseTicketLine(line);
  assert.deepEqual(parsed, { time: '2026-11-21T21:00:01Z', compact: signed.compact });
  const result = verifyTicket(parsed?.compact ?? '', { keys: lookup([key]), blockSource: SOURCE });
  assert.deepEqual(result.failures, []);
  assert.equal(result.ticket?.keyId, publicKeyId(key.publicKey));
});

test('the signed payload is the RFC 8785 form of the ticket', () => {
  const payload = fromBase64Url(signed.compact.split('.')[0] as string);
  assert.equal(new TextDecoder().decode(payload), canonicalize(signed.ticket));
});

test('ML-DSA-87 keys sign tickets too', () => {
  const k87 = mlDsaKeygen('ml-dsa-87');
  assert.ok(verifyTicket(signTicket(fields(), k87).compact, { keys: lookup([k87]) }).ok);
});

test('failure reasons: unknown key, untrusted key, edited ticket, changed code', () => {
  const codes = (compact: string, keys: KeyLookup, blockSource?: string): string[] =>
    verifyTicket(compact, blockSource === undefined ? { keys } : { keys, blockSource }).failures.map((f) => f.code);
  assert.deepEqual(codes(signed.compact, lookup([])), ['unknown_key']);
  assert.deepEqual(codes(signed.compact, lookup([key], false)), ['untrusted_key']);
  assert.deepEqual(codes(signed.compact, lookup([key]), SOURCE + '# edited\n'), ['code_hash_mismatch']);
  // CRLF checkouts still match.
  assert.deepEqual(codes(signed.compact, lookup([key]), SOURCE.replace(/\n/g, '\r\n')), []);
  // An edited payload (still canonical, different duration) no longer matches the signature.
  const edited = canonicalize({ ...signed.ticket, durationMs: 1 });
  const forged = `${toBase64Url(new TextEncoder().encode(edited))}.${signed.compact.split('.')[1] as string}`;
  assert.deepEqual(codes(forged, lookup([key])), ['bad_signature']);
  // A key that claims the same id but is another key is treated as unknown.
  const impostor = mlDsaKeygen('ml-dsa-65');
  assert.deepEqual(
    codes(signed.compact, () => ({ alg: 'ml-dsa-65', publicKey: impostor.publicKey, trusted: true })),
    ['unknown_key'],
  );
});

test('non-canonical or malformed payloads are rejected as malformed', () => {
  const spaced = JSON.stringify(signed.ticket, null, 1);
  const compact = `${toBase64Url(new TextEncoder().encode(spaced))}.${signed.compact.split('.')[1] as string}`;
  assert.equal(decodeTicket(compact).ok, false);
  assert.deepEqual(
    verifyTicket('nonsense', { keys: lookup([key]) }).failures.map((f) => f.code),
    ['malformed'],
  );
  assert.throws(() => signTicket({ ...fields(), codeHash: 'abc' }, key), RangeError);
});

test('property: verifyTicket never throws and never accepts a mutated compact ticket', () => {
  fc.assert(
    fc.property(fc.nat(), fc.integer({ min: 1, max: 63 }), (pos, delta) => {
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      const i = pos % signed.compact.length;
      const c = signed.compact[i] as string;
      if (c === '.') return;
      const replacement = alphabet[(alphabet.indexOf(c) + delta) % 64] as string;
      const mutated = signed.compact.slice(0, i) + replacement + signed.compact.slice(i + 1);
      assert.equal(verifyTicket(mutated, { keys: lookup([key]) }).ok, false);
    }),
    { numRuns: 40 },
  );
});
