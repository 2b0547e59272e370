/**
 * Conformance suite every `LogStore` implementation must pass (in-memory, file, and any database store the
 * project adds): call `runLogStoreConformance(name, create)` from that store's test file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TransparencyLog, auditVerify, hashLeaf, type LogStore } from '../../src/crypto/index.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

export function runLogStoreConformance(name: string, create: () => Promise<LogStore>): void {
  test(`${name}: append returns consecutive indices and get returns what was stored`, async () => {
    const store = await create();
    assert.equal(await store.size(), 0);
    for (let i = 0; i < 5; i++) {
      const entry = enc(`entry ${i}`);
      assert.equal(await store.append({ entry, leafHash: hashLeaf(entry) }), i);
    }
    assert.equal(await store.size(), 5);
    const row = await store.get(3);
    assert.deepEqual(row?.entry, enc('entry 3'));
    assert.deepEqual(row?.leafHash, hashLeaf(enc('entry 3')));
    assert.equal(await store.get(5), undefined);
  });

  test(`${name}: stored rows cannot be changed through returned or passed buffers`, async () => {
    const store = await create();
    const entry = enc('immutable');
    await store.append({ entry, leafHash: hashLeaf(entry) });
    entry[0] = 0;
    const first = await store.get(0);
    if (first) first.entry[1] = 0;
    assert.deepEqual((await store.get(0))?.entry, enc('immutable'));
  });

  test(`${name}: concurrent appends through a TransparencyLog keep order, and the log audits clean`, async () => {
    const store = await create();
    const log = await TransparencyLog.open(store, 'maml.dev/log/conformance');
    await Promise.all(Array.from({ length: 20 }, (_, i) => log.append(enc(`t${i}`))));
    for (let i = 0; i < 20; i++) assert.deepEqual((await store.get(i))?.entry, enc(`t${i}`));
    const audit = await auditVerify(store);
    assert.ok(audit.ok);
    assert.deepEqual(audit.root, log.root());
  });
}
