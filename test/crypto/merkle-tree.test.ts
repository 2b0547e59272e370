// Proof generation: tree heads against the RFC 6962 reference leaves used by transparency-dev and
// certificate-transparency, generated proofs against the RFC verifiers, and the fast cached tree against a
// direct transcription of the RFC's recursive MTH definition.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { sha256 } from '@noble/hashes/sha2.js';
import {
  EMPTY_ROOT,
  MerkleTree,
  hashChildren,
  hashLeaf,
  splitPoint,
  verifyConsistency,
  verifyInclusion,
} from '../../src/crypto/index.js';
import { bytesToHex, hexToBytes } from '../../src/crypto/bytes.js';

// RFC 6962 reference leaves and the heads of their prefixes (sizes 1..8).
const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'];
const ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

/** RFC 9162 §2.1.1 MTH, transcribed literally. */
function naiveRoot(leaves: readonly Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return sha256(new Uint8Array(0));
  if (leaves.length === 1) return hashLeaf(leaves[0] as Uint8Array);
  const k = splitPoint(leaves.length);
  return hashChildren(naiveRoot(leaves.slice(0, k)), naiveRoot(leaves.slice(k)));
}

function treeOf(n: number): { tree: MerkleTree; leaves: Uint8Array[] } {
  const tree = new MerkleTree();
  const leaves: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    const leaf = new TextEncoder().encode(`entry ${i}`);
    leaves.push(leaf);
    tree.push(hashLeaf(leaf));
  }
  return { tree, leaves };
}

test('empty tree head is SHA-256 of the empty string', () => {
  assert.equal(bytesToHex(new MerkleTree().root()), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  assert.equal(bytesToHex(EMPTY_ROOT), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
});

test('tree heads of the RFC 6962 reference leaves', () => {
  const tree = new MerkleTree();
  LEAVES.forEach((leaf, i) => {
    tree.push(hashLeaf(hexToBytes(leaf)));
    assert.equal(bytesToHex(tree.root()), ROOTS[i], `size ${i + 1}`);
  });
  ROOTS.forEach((root, i) => assert.equal(bytesToHex(tree.root(i + 1)), root, `prefix ${i + 1}`));
});

test('cached heads equal the literal RFC definition for every prefix (differential)', () => {
  const { tree, leaves } = treeOf(70);
  for (let n = 0; n <= 70; n++) assert.deepEqual(tree.root(n), naiveRoot(leaves.slice(0, n)), `size ${n}`);
});

test('every generated inclusion proof verifies, and fails for a wrong index or leaf', () => {
  const { tree } = treeOf(37);
  for (let n = 1; n <= 37; n++) {
    const head = tree.root(n);
    for (let m = 0; m < n; m++) {
      const proof = tree.inclusionProof(m, n);
      const leaf = tree.leafHash(m) as Uint8Array;
      assert.ok(verifyInclusion(leaf, m, n, proof, head), `m=${m} n=${n}`);
      if (n > 1) assert.ok(!verifyInclusion(leaf, (m + 1) % n, n, proof, head), `wrong index m=${m} n=${n}`);
      assert.ok(!verifyInclusion(hashLeaf(new Uint8Array([1, 2])), m, n, proof, head));
    }
  }
});

test('every generated consistency proof verifies, and fails against another head', () => {
  const { tree } = treeOf(33);
  for (let n = 1; n <= 33; n++) {
    for (let m = 1; m <= n; m++) {
      const proof = tree.consistencyProof(m, n);
      assert.ok(verifyConsistency(m, n, proof, tree.root(m), tree.root(n)), `m=${m} n=${n}`);
      if (m < n) assert.ok(!verifyConsistency(m, n, proof, tree.root(m + 1), tree.root(n)), `other head m=${m}`);
    }
  }
});

test('property: proofs from random trees verify; a flipped proof bit never does', () => {
  fc.assert(
    fc.property(fc.integer({ min: 2, max: 300 }), fc.nat(), fc.nat(), fc.nat(), (n, a, b, bit) => {
      const { tree } = treeOf(n);
      const m = a % n;
      const proof = tree.inclusionProof(m, n);
      const head = tree.root(n);
      assert.ok(verifyInclusion(tree.leafHash(m) as Uint8Array, m, n, proof, head));
      const which = b % proof.length;
      const bad = proof.map((p) => p.slice());
      const target = bad[which] as Uint8Array;
      target[bit % 32] = (target[bit % 32] as number) ^ 1;
      assert.ok(!verifyInclusion(tree.leafHash(m) as Uint8Array, m, n, bad, head));
      const size1 = 1 + (b % (n - 1));
      const cproof = tree.consistencyProof(size1, n);
      assert.ok(verifyConsistency(size1, n, cproof, tree.root(size1), head));
    }),
    { numRuns: 60 },
  );
});
