// Signed run records: what makes an [EXECUTE] line verifiable. Round trip, every field covered by the signature,
// a context string of their own (a run record never verifies as a ticket, nor the other way round).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  canonicalize,
  decodeRunRecord,
  decodeTicket,
  executeTextHash,
  fromBase64Url,
  hashCanonical,
  mlDsaKeygen,
  publicKeyId,
  signRunRecord,
  ticketSetHash,
  toBase64Url,
  verifyRunRecord,
  type KeyLookup,
  type RunRecordFields,
} from '../../src/crypto/index.js';

const key = mlDsaKeygen('ml-dsa-65');
const keys: KeyLookup = (id) =>
  id === publicKeyId(key.publicKey) ? { alg: key.alg, publicKey: key.publicKey, trusted: true } : undefined;

const FIELDS: RunRecordFields = {
  docId: 'urn:uuid:6f1c2a9e-3b7d-4c8e-9a21-5d4e8f0b7c13',
  runId: 'run-1',
  headId: 'scheduler',
  identity: 'agent://local',
  status: 'succeeded',
  startedAt: '2026-11-21T12:00:00.000Z',
  durationMs: 520,
  tickets: 2,
  ticketsHash: ticketSetHash(['ab'.repeat(32), 'cd'.repeat(32)]),
  regenerateHash: hashCanonical([]),
  textHash: executeTextHash('run run-1 succeeded in 0.52 s by agent://local: a ok on ai-1, b ok on ai-2'),
  outputHash: hashCanonical({ n: 1 }),
};

test('a signed run record verifies and decodes to its fields', () => {
  const { compact, record } = signRunRecord(FIELDS, key);
  const result = verifyRunRecord(compact, keys);
  assert.deepEqual(result.failures, []);
  assert.deepEqual(result.record, record);
  assert.equal(record.kind, 'run');
  assert.equal(ticketSetHash(['cd'.repeat(32), 'ab'.repeat(32)]), FIELDS.ticketsHash, 'the ticket set is unordered');
});

test('tampering any field of a run record fails its signature', () => {
  const { compact } = signRunRecord(FIELDS, key);
  const [payload, sig] = compact.split('.') as [string, string];
  const record = JSON.parse(new TextDecoder().decode(fromBase64Url(payload))) as Record<string, unknown>;
  const edits: Record<string, unknown> = {
    docId: 'urn:other',
    runId: 'run-2',
    identity: 'agent://root',
    status: 'failed',
    startedAt: '2026-11-21T12:00:01.000Z',
    durationMs: 1,
    tickets: 3,
    ticketsHash: ticketSetHash(['ab'.repeat(32)]),
    regenerateHash: hashCanonical(['run run-1: block a lost x; retried as attempt 2']),
    textHash: executeTextHash('run run-1 succeeded'),
    outputHash: hashCanonical({ n: 2 }),
  };
  for (const [field, value] of Object.entries(edits)) {
    const forged = `${toBase64Url(new TextEncoder().encode(canonicalize({ ...record, [field]: value })))}.${sig}`;
    assert.equal(decodeRunRecord(forged).ok, true, field);
    assert.deepEqual(
      verifyRunRecord(forged, keys).failures.map((f) => f.code),
      ['bad_signature'],
      field,
    );
  }
});

test('run records and tickets are never taken for one another', () => {
  const { compact } = signRunRecord(FIELDS, key);
  assert.equal(decodeTicket(compact).ok, false);
  assert.deepEqual(
    verifyRunRecord('nonsense', keys).failures.map((f) => f.code),
    ['malformed'],
  );
  assert.throws(() => signRunRecord({ ...FIELDS, textHash: 'abc' }, key), RangeError);
  assert.throws(() => signRunRecord({ ...FIELDS, status: 'running' as 'failed' }, key), RangeError);
});
