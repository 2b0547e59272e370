/**
 * RFC 9162 §2.1 Merkle tree hashing: leaf and node hashes, tree heads, inclusion and consistency proofs
 * (generation in `MerkleTree`, verification here as pure functions over hashes). Sizes and indices are plain
 * numbers (safe integers); halving uses arithmetic, not 32-bit shifts, so trees past 2^32 leaves stay correct.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { equalBytes } from './bytes.js';

export const HASH_SIZE = 32;

const NODE_PREFIX = new Uint8Array([0x01]);
const NODE_BUF = new Uint8Array(1 + 2 * HASH_SIZE);
NODE_BUF[0] = 0x01;

/** RFC 9162 §2.1.1: MTH({d0}) = SHA-256(0x00 || d0). */
export function hashLeaf(entry: Uint8Array): Uint8Array {
  const buf = new Uint8Array(entry.length + 1);
  buf[0] = 0x00;
  buf.set(entry, 1);
  return sha256(buf);
}

/** RFC 9162 §2.1.1: SHA-256(0x01 || left || right). */
export function hashChildren(left: Uint8Array, right: Uint8Array): Uint8Array {
  if (left.length !== HASH_SIZE || right.length !== HASH_SIZE)
    return sha256.create().update(NODE_PREFIX).update(left).update(right).digest();
  // One-shot hashing of a reused 65-byte buffer: measurably faster than incremental updates for 10^6-leaf trees.
  NODE_BUF.set(left, 1);
  NODE_BUF.set(right, 1 + HASH_SIZE);
  return sha256(NODE_BUF);
}

/** RFC 9162 §2.1.1: the hash of an empty tree is the hash of the empty string. */
export const EMPTY_ROOT: Uint8Array = sha256(new Uint8Array(0));

/** The largest power of two strictly less than `n` (n ≥ 2). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

const half = (n: number): number => Math.floor(n / 2);
const odd = (n: number): boolean => n % 2 === 1;

/**
 * RFC 9162 §2.1.3.2: verifies that `leafHash` sits at `index` in the tree of `treeSize` leaves whose head is
 * `root`. Returns false, never throws, for any malformed input.
 */
export function verifyInclusion(
  leafHash: Uint8Array,
  index: number,
  treeSize: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(treeSize) || index < 0 || index >= treeSize) return false;
  if (leafHash.length !== HASH_SIZE || proof.some((p) => p.length !== HASH_SIZE)) return false;
  let fn = index;
  let sn = treeSize - 1;
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      r = hashChildren(p, r);
      if (!odd(fn)) {
        while (!odd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = hashChildren(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && equalBytes(r, root);
}

/**
 * RFC 9162 §2.1.4.2: verifies that the tree of `size2` leaves with head `root2` extends the tree of `size1`
 * leaves with head `root1`. Equal sizes need an empty proof and equal heads; the RFC requires 0 < size1, so an
 * empty first tree is rejected (it proves nothing).
 */
export function verifyConsistency(
  size1: number,
  size2: number,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
  root2: Uint8Array,
): boolean {
  if (!Number.isSafeInteger(size1) || !Number.isSafeInteger(size2)) return false;
  if (size1 <= 0 || size2 < size1) return false;
  if (size1 === size2) return proof.length === 0 && equalBytes(root1, root2);
  if (proof.length === 0 || proof.some((p) => p.length !== HASH_SIZE)) return false;
  // Step 2: a first tree whose size is a power of two is itself a node of the second one.
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : [...proof];
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (odd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  const [first, ...rest] = path;
  if (first === undefined) return false;
  let fr = first;
  let sr = first;
  for (const c of rest) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      if (!odd(fn)) {
        while (!odd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      sr = hashChildren(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && equalBytes(fr, root1) && equalBytes(sr, root2);
}

function isPowerOfTwo(n: number): boolean {
  let k = 1;
  while (k < n) k *= 2;
  return k === n;
}
