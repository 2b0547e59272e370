/**
 * Storage behind the transparency log. A store only keeps rows in order; it is not trusted: `auditVerify`
 * recomputes every hash from the entries. The in-memory store here is the reference implementation; others
 * (a database) must pass the same conformance suite (test/crypto/log-store.case.ts).
 */

export interface StoredLeaf {
  /** The logged bytes (for tickets: the compact ticket string, UTF-8). */
  readonly entry: Uint8Array;
  /** RFC 9162 leaf hash of `entry`, as computed when it was appended. */
  readonly leafHash: Uint8Array;
}

export interface LogStore {
  /** Appends one row and resolves to its index, which is the store's size before the call. */
  append(leaf: StoredLeaf): Promise<number>;
  /** The row at `index`, or undefined past the end. */
  get(index: number): Promise<StoredLeaf | undefined>;
  size(): Promise<number>;
}

export class MemoryLogStore implements LogStore {
  private readonly rows: StoredLeaf[];

  /** `rows` seeds the store (copied), e.g. to reopen a log or to model a tampered copy in tests. */
  constructor(rows: readonly StoredLeaf[] = []) {
    this.rows = rows.map(copyLeaf);
  }

  append(leaf: StoredLeaf): Promise<number> {
    this.rows.push(copyLeaf(leaf));
    return Promise.resolve(this.rows.length - 1);
  }

  get(index: number): Promise<StoredLeaf | undefined> {
    const row = this.rows[index];
    return Promise.resolve(row ? copyLeaf(row) : undefined);
  }

  size(): Promise<number> {
    return Promise.resolve(this.rows.length);
  }
}

function copyLeaf(leaf: StoredLeaf): StoredLeaf {
  return { entry: leaf.entry.slice(), leafHash: leaf.leafHash.slice() };
}
