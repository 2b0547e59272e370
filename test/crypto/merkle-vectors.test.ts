// Tests of record for RFC 9162 proof verification: every case of transparency-dev/merkle's testdata. Happy
// paths must verify, every deliberately broken proof must be rejected.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { verifyConsistency, verifyInclusion } from '../../src/crypto/index.js';
import { VECTORS, b64, jsonFilesUnder, subdirectories } from './vectors.js';

interface InclusionCase {
  leafIdx: number;
  treeSize: number;
  root: string;
  leafHash: string;
  proof: string[] | null;
  desc: string;
  wantErr: boolean;
}

interface ConsistencyCase {
  size1: number;
  size2: number;
  root1: string;
  root2: string;
  proof: string[] | null;
  desc: string;
  wantErr: boolean;
}

const root = join(VECTORS, 'merkle', 'testdata');

function leafDirectories(dir: string): string[] {
  const subs = subdirectories(dir);
  return subs.length === 0 ? [dir] : subs.flatMap(leafDirectories);
}

test('every Merkle vector directory yields cases (guard)', () => {
  for (const kind of ['inclusion', 'consistency']) {
    const dirs = leafDirectories(join(root, kind));
    assert.ok(dirs.length >= 5, `${kind}: expected several vector directories, found ${dirs.length}`);
    for (const dir of dirs) assert.ok(jsonFilesUnder(dir).length > 0, `no vector files in ${dir}`);
  }
});

test('RFC 9162 inclusion proofs: all transparency-dev vectors', () => {
  const files = jsonFilesUnder(join(root, 'inclusion'));
  assert.ok(files.length > 40, `only ${files.length} inclusion vectors found`);
  let accepted = 0;
  let rejected = 0;
  for (const { path, data } of files) {
    const c = data as InclusionCase;
    const ok = verifyInclusion(b64(c.leafHash), c.leafIdx, c.treeSize, (c.proof ?? []).map(b64), b64(c.root));
    assert.equal(ok, !c.wantErr, `${path}: ${c.desc}`);
    if (ok) accepted++;
    else rejected++;
  }
  assert.ok(accepted >= 5 && rejected >= 30, `accepted ${accepted}, rejected ${rejected}`);
});

test('RFC 9162 consistency proofs: all transparency-dev vectors', () => {
  const files = jsonFilesUnder(join(root, 'consistency'));
  assert.ok(files.length > 60, `only ${files.length} consistency vectors found`);
  let accepted = 0;
  let rejected = 0;
  for (const { path, data } of files) {
    const c = data as ConsistencyCase;
    const ok = verifyConsistency(c.size1, c.size2, (c.proof ?? []).map(b64), b64(c.root1), b64(c.root2));
    assert.equal(ok, !c.wantErr, `${path}: ${c.desc}`);
    if (ok) accepted++;
    else rejected++;
  }
  assert.ok(accepted >= 5 && rejected >= 50, `accepted ${accepted}, rejected ${rejected}`);
});
