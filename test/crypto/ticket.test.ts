// Signed execution tickets: round trip, and every failure reason the verifier promises (bad signature,
// unknown key, untrusted key, code hash mismatch, changed language, attributes or upstream blocks, malformed),
// with verifyTicket never throwing; version 1 tickets still verify.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  MAX_TICKET_CHARS,
  TICKET_CONTEXTS,
  canonicalize,
  decodeTicket,
  hashAttributes,
  signJson,
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
const ATTRIBUTES = { needs: 'load clean', timeout: '30s', head: 'ai' };

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
    lang: 'python',
    attrsHash: hashAttributes(ATTRIBUTES),
    upstream: ['load', 'clean'],
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

/** The compact form of `ticket` with `change` applied to its payload and the original signature kept. */
function edited(compact: string, change: (t: Record<string, unknown>) => void): string {
  const [payload, sig] = compact.split('.') as [string, string];
  const t = JSON.parse(new TextDecoder().decode(fromBase64Url(payload))) as Record<string, unknown>;
  change(t);
  return `${toBase64Url(new TextEncoder().encode(canonicalize(t)))}.${sig}`;
}

test('version 2: tampering any signed field, including language, attributes and upstream, fails the signature', () => {
  assert.equal(signed.ticket.v, 2);
  const changes: Record<string, (t: Record<string, unknown>) => void> = {
    lang: (t) => (t['lang'] = 'javascript'),
    attrsHash: (t) => (t['attrsHash'] = hashAttributes({ ...ATTRIBUTES, timeout: '1h' })),
    upstream: (t) => (t['upstream'] = ['load']),
    upstreamOrder: (t) => (t['upstream'] = ['clean', 'load']),
    docId: (t) => (t['docId'] = 'urn:maml:doc:other'),
    runId: (t) => (t['runId'] = 'run-2'),
    blockId: (t) => (t['blockId'] = 'other'),
    headId: (t) => (t['headId'] = 'head-b'),
    inputHash: (t) => (t['inputHash'] = hashCanonical({ n: 4 })),
    outputHash: (t) => (t['outputHash'] = hashCanonical({})),
    codeHash: (t) => (t['codeHash'] = hashCode('x')),
    startedAt: (t) => (t['startedAt'] = '2026-11-21T21:00:01.000Z'),
    durationMs: (t) => (t['durationMs'] = 43),
    executor: (t) => (t['executor'] = 'python@3.12'),
  };
  for (const [name, change] of Object.entries(changes)) {
    const forged = edited(signed.compact, change);
    assert.equal(decodeTicket(forged).ok, true, `${name}: the edited ticket is well formed`);
    assert.deepEqual(
      verifyTicket(forged, { keys: lookup([key]) }).failures.map((f) => f.code),
      ['bad_signature'],
      name,
    );
  }
  // Dropping the version 2 fields and calling it version 1 is an edit too.
  const downgraded = edited(signed.compact, (t) => {
    delete t['lang'];
    delete t['attrsHash'];
    delete t['upstream'];
    t['v'] = 1;
  });
  assert.deepEqual(
    verifyTicket(downgraded, { keys: lookup([key]) }).failures.map((f) => f.code),
    ['bad_signature'],
  );
});

test('version 2: a block whose language, attributes or upstream blocks changed since it ran is reported', () => {
  const facts = { lang: 'python', attrsHash: hashAttributes(ATTRIBUTES), upstream: ['load', 'clean'] };
  const codes = (blockFacts: typeof facts): string[] =>
    verifyTicket(signed.compact, { keys: lookup([key]), blockSource: SOURCE, blockFacts }).failures.map((f) => f.code);
  assert.deepEqual(codes(facts), []);
  assert.deepEqual(codes({ ...facts, lang: 'javascript' }), ['lang_mismatch']);
  assert.deepEqual(codes({ ...facts, attrsHash: hashAttributes({ ...ATTRIBUTES, shots: '5000' }) }), [
    'attributes_mismatch',
  ]);
  assert.deepEqual(codes({ ...facts, upstream: ['load'] }), ['upstream_mismatch']);
  assert.deepEqual(codes({ ...facts, upstream: ['clean', 'load'] }), ['upstream_mismatch']);
});

/** A version 1 ticket, signed the way version 1 was (context `maml-ticket-v1`, no attribute fields). */
function v1Ticket(): string {
  const { lang: _l, attrsHash: _a, upstream: _u, ...rest } = fields();
  return signJson({ ...rest, v: 1, keyId: publicKeyId(key.publicKey) }, key, TICKET_CONTEXTS[1]);
}

test('version 1 tickets still verify; they cover no attributes, so block facts are not checked against them', () => {
  const compact = v1Ticket();
  const facts = { lang: 'javascript', attrsHash: hashAttributes({}), upstream: [] };
  const result = verifyTicket(compact, { keys: lookup([key]), blockSource: SOURCE, blockFacts: facts });
  assert.deepEqual(result.failures, []);
  assert.equal(result.ticket?.v, 1);
  // The context string separates the versions: a version 1 payload signed under the version 2 context fails.
  const [payload] = compact.split('.') as [string];
  const crossed = signJson(JSON.parse(new TextDecoder().decode(fromBase64Url(payload))), key, TICKET_CONTEXTS[2]);
  assert.deepEqual(
    verifyTicket(crossed, { keys: lookup([key]) }).failures.map((f) => f.code),
    ['bad_signature'],
  );
});

test('version 2 fields are checked: upstream ids are a list of distinct short ids, and signed tickets fit the cap', () => {
  assert.throws(() => signTicket({ ...fields(), upstream: ['a', 'a'] }, key), RangeError);
  assert.throws(() => signTicket({ ...fields(), upstream: [''] }, key), RangeError);
  assert.throws(() => signTicket({ ...fields(), lang: '' }, key), RangeError);
  const wide = Array.from({ length: 1000 }, (_, i) => `${'u'.repeat(60)}-${i}`);
  assert.throws(
    () => signTicket({ ...fields(), upstream: wide }, key),
    (e: unknown) => e instanceof RangeError && e.message.includes(String(MAX_TICKET_CHARS)),
  );
  const fan = Array.from({ length: 300 }, (_, i) => `block-${i}`);
  const t = signTicket({ ...fields(), upstream: fan }, key);
  assert.ok(verifyTicket(t.compact, { keys: lookup([key]) }).ok);
});
