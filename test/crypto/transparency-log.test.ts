// The audit log end to end: appends, proofs against the log's heads, signed checkpoints, and a full audit
// that catches tampering with stored entries, stored hashes, both together, or truncation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MemoryLogStore,
  TransparencyLog,
  auditVerify,
  ed25519Keygen,
  ed25519NoteSigner,
  ed25519NoteVerifier,
  hashLeaf,
  verifyConsistency,
  verifyInclusion,
  type StoredLeaf,
} from '../../src/crypto/index.js';

const ORIGIN = 'maml.dev/log/test';
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

async function filledLog(n: number): Promise<{ store: MemoryLogStore; log: TransparencyLog; rows: StoredLeaf[] }> {
  const store = new MemoryLogStore();
  const log = await TransparencyLog.open(store, ORIGIN);
  await Promise.all(Array.from({ length: n }, (_, i) => log.append(enc(`ticket ${i}`))));
  const rows: StoredLeaf[] = [];
  for (let i = 0; i < n; i++) rows.push((await store.get(i)) as StoredLeaf);
  return { store, log, rows };
}

test('concurrent appends keep store order and tree order equal', async () => {
  const { log, rows } = await filledLog(25);
  rows.forEach((row, i) => {
    assert.deepEqual(row.entry, enc(`ticket ${i}`));
    assert.deepEqual(log.leafHash(i), hashLeaf(row.entry));
    assert.equal(log.indexOf(hashLeaf(row.entry)), i);
  });
});

test('inclusion and consistency proofs from the log verify against its heads', async () => {
  const { log } = await filledLog(21);
  const head = log.root();
  for (let i = 0; i < 21; i++)
    assert.ok(verifyInclusion(log.leafHash(i) as Uint8Array, i, 21, log.inclusionProof(i), head));
  for (let m = 1; m <= 21; m++) assert.ok(verifyConsistency(m, 21, log.consistencyProof(m), log.root(m), head));
});

test('reopening a store gives the same head', async () => {
  const { store, log } = await filledLog(9);
  const again = await TransparencyLog.open(store, ORIGIN);
  assert.deepEqual(again.root(), log.root());
});

test('auditVerify accepts an untouched log against its signed checkpoint', async () => {
  const key = ed25519Keygen();
  const { store, log } = await filledLog(12);
  const checkpoint = log.checkpoint([ed25519NoteSigner(ORIGIN, key.secretKey, key.publicKey)]);
  const result = await auditVerify(store, {
    checkpoint,
    verifiers: [ed25519NoteVerifier(ORIGIN, key.publicKey)],
    origin: ORIGIN,
  });
  assert.deepEqual(result.issues, []);
  assert.ok(result.ok);
});

test('auditVerify detects an edited entry, an edited hash, a consistent rewrite and truncation', async () => {
  const key = ed25519Keygen();
  const { log, rows } = await filledLog(12);
  const checkpoint = log.checkpoint([ed25519NoteSigner(ORIGIN, key.secretKey, key.publicKey)]);
  const options = { checkpoint, verifiers: [ed25519NoteVerifier(ORIGIN, key.publicKey)] };
  const codes = async (tampered: StoredLeaf[]): Promise<string[]> =>
    (await auditVerify(new MemoryLogStore(tampered), options)).issues.map((i) => i.code);

  const editedEntry = rows.map((r, i) => (i === 4 ? { ...r, entry: enc('ticket 4, altered') } : r));
  assert.ok((await codes(editedEntry)).includes('leaf_hash_mismatch'));

  const editedHash = rows.map((r, i) => (i === 7 ? { ...r, leafHash: hashLeaf(enc('other')) } : r));
  assert.ok((await codes(editedHash)).includes('leaf_hash_mismatch'));

  const entry = enc('rewritten ticket');
  const rewritten = rows.map((r, i) => (i === 2 ? { entry, leafHash: hashLeaf(entry) } : r));
  assert.deepEqual(await codes(rewritten), ['root_mismatch']);

  const reordered = [rows[1], rows[0], ...rows.slice(2)] as StoredLeaf[];
  assert.deepEqual(await codes(reordered), ['root_mismatch']);

  assert.deepEqual(await codes(rows.slice(0, 10)), ['log_truncated']);

  const wrongKey = ed25519Keygen();
  const bad = await auditVerify(new MemoryLogStore(rows), {
    checkpoint,
    verifiers: [ed25519NoteVerifier(ORIGIN, wrongKey.publicKey)],
  });
  assert.deepEqual(
    bad.issues.map((i) => i.code),
    ['checkpoint_signature'],
  );
});

test('a log that grew after the checkpoint still audits against it', async () => {
  const key = ed25519Keygen();
  const { store, log } = await filledLog(5);
  const checkpoint = log.checkpoint([ed25519NoteSigner(ORIGIN, key.secretKey, key.publicKey)]);
  await log.append(enc('later'));
  const result = await auditVerify(store, { checkpoint, verifiers: [ed25519NoteVerifier(ORIGIN, key.publicKey)] });
  assert.ok(result.ok);
  assert.equal(result.size, 6);
});
