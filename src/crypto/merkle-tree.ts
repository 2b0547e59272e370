/**
 * An append-only in-memory Merkle tree over leaf hashes (RFC 9162 §2.1). It keeps every complete, aligned
 * subtree hash (level k holds the hashes of runs of 2^k leaves), so appending is amortised O(1) and the head of
 * any prefix, an inclusion proof or a consistency proof costs O(log n) hashes.
 */
import { EMPTY_ROOT, HASH_SIZE, hashChildren, splitPoint } from './merkle.js';

export class MerkleTree {
  /** levels[k][i] = MTH of leaves [i·2^k, (i+1)·2^k). Invariant: levels[k+1].length = ⌊levels[k].length / 2⌋. */
  private readonly levels: Uint8Array[][] = [[]];

  get size(): number {
    return this.leaves.length;
  }

  private get leaves(): Uint8Array[] {
    return this.levels[0] as Uint8Array[];
  }

  /** Appends a leaf hash (already `hashLeaf`ed) and returns its index. */
  push(leafHash: Uint8Array): number {
    if (leafHash.length !== HASH_SIZE) throw new RangeError(`leaf hash must be ${HASH_SIZE} bytes`);
    const index = this.leaves.length;
    this.leaves.push(leafHash);
    let level = 0;
    let width = index + 1;
    while (width % 2 === 0) {
      const row = this.levels[level] as Uint8Array[];
      const parent = hashChildren(row[row.length - 2] as Uint8Array, row[row.length - 1] as Uint8Array);
      level++;
      if (this.levels.length === level) this.levels.push([]);
      (this.levels[level] as Uint8Array[]).push(parent);
      width /= 2;
    }
    return index;
  }

  leafHash(index: number): Uint8Array | undefined {
    return this.leaves[index];
  }

  /** MTH(D[start : start + n]) where the range is one the RFC's recursion visits (start is a multiple of the
   * largest power of two not above n, or the range is a right edge). */
  private rangeHash(start: number, n: number): Uint8Array {
    if (n === 0) return EMPTY_ROOT;
    let level = 0;
    while (2 ** (level + 1) <= n) level++;
    if (2 ** level === n && start % n === 0) {
      const cached = this.levels[level]?.[start / n];
      if (cached) return cached;
    }
    const k = splitPoint(n);
    return hashChildren(this.rangeHash(start, k), this.rangeHash(start + k, n - k));
  }

  /** The tree head of the first `size` leaves (defaults to all). */
  root(size = this.size): Uint8Array {
    this.checkSize(size);
    return this.rangeHash(0, size);
  }

  /** RFC 9162 §2.1.3.1 PATH(m, D[n]), leaf to root. */
  inclusionProof(index: number, size = this.size): Uint8Array[] {
    this.checkSize(size);
    if (!Number.isSafeInteger(index) || index < 0 || index >= size) throw new RangeError('leaf index out of range');
    const proof: Uint8Array[] = [];
    this.path(index, 0, size, proof);
    return proof;
  }

  private path(m: number, start: number, n: number, out: Uint8Array[]): void {
    if (n <= 1) return;
    const k = splitPoint(n);
    if (m < k) {
      this.path(m, start, k, out);
      out.push(this.rangeHash(start + k, n - k));
    } else {
      this.path(m - k, start + k, n - k, out);
      out.push(this.rangeHash(start, k));
    }
  }

  /** RFC 9162 §2.1.4.1 PROOF(m, D[n]) for 0 < m ≤ n. */
  consistencyProof(size1: number, size2 = this.size): Uint8Array[] {
    this.checkSize(size2);
    if (!Number.isSafeInteger(size1) || size1 <= 0 || size1 > size2) throw new RangeError('size1 out of range');
    const proof: Uint8Array[] = [];
    this.subproof(size1, 0, size2, true, proof);
    return proof;
  }

  private subproof(m: number, start: number, n: number, whole: boolean, out: Uint8Array[]): void {
    if (m === n) {
      if (!whole) out.push(this.rangeHash(start, n));
      return;
    }
    const k = splitPoint(n);
    if (m <= k) {
      this.subproof(m, start, k, whole, out);
      out.push(this.rangeHash(start + k, n - k));
    } else {
      this.subproof(m - k, start + k, n - k, false, out);
      out.push(this.rangeHash(start, k));
    }
  }

  private checkSize(size: number): void {
    if (!Number.isSafeInteger(size) || size < 0 || size > this.size) throw new RangeError('tree size out of range');
  }
}
