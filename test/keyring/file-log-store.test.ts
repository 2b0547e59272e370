// The JSON-lines file LogStore against the shared conformance suite, plus persistence across reopen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashLeaf } from '../../src/crypto/index.js';
import { FileLogStore } from '../../src/keyring/index.js';
import { runLogStoreConformance } from '../crypto/log-store.case.js';

const fresh = async (): Promise<string> => join(await mkdtemp(join(tmpdir(), 'maml-log-')), 'audit.jsonl');

runLogStoreConformance('FileLogStore', async () => FileLogStore.open(await fresh()));

test('FileLogStore: rows survive reopening the file', async () => {
  const path = await fresh();
  const store = await FileLogStore.open(path);
  const entry = new TextEncoder().encode('persisted');
  await store.append({ entry, leafHash: hashLeaf(entry) });
  const again = await FileLogStore.open(path);
  assert.equal(await again.size(), 1);
  assert.deepEqual((await again.get(0))?.entry, entry);
});
