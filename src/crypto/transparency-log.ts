/**
 * The audit log: an append-only RFC 9162 Merkle log over a `LogStore`, with signed C2SP checkpoints. Appends are
 * serialised so the store's order and the in-memory tree never diverge.
 */
import { bytesToHex } from './bytes.js';
import { formatCheckpoint } from './checkpoint.js';
import { hashLeaf } from './merkle.js';
import { MerkleTree } from './merkle-tree.js';
import type { LogStore } from './log-store.js';
import { signNote, type NoteSigner } from './signed-note.js';

export interface Appended {
  readonly index: number;
  readonly leafHash: Uint8Array;
}

export class TransparencyLog {
  private readonly tree = new MerkleTree();
  private readonly byHash = new Map<string, number>();
  private tail: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly store: LogStore,
    readonly origin: string,
  ) {}

  /** Opens a log over `store`, loading its leaf hashes (as stored: run `auditVerify` to check them). */
  static async open(store: LogStore, origin: string): Promise<TransparencyLog> {
    const log = new TransparencyLog(store, origin);
    const n = await store.size();
    for (let i = 0; i < n; i++) {
      const row = await store.get(i);
      if (!row) throw new RangeError(`log store has no row ${i} although its size is ${n}`);
      log.remember(row.leafHash);
    }
    return log;
  }

  get size(): number {
    return this.tree.size;
  }

  append(entry: Uint8Array): Promise<Appended> {
    const run = this.tail.then(async () => {
      const leafHash = hashLeaf(entry);
      const index = await this.store.append({ entry, leafHash });
      // Another process sharing the store (a gateway recording a worker's ticket) may have appended meanwhile.
      if (index > this.tree.size) await this.load(index);
      if (index !== this.tree.size) throw new RangeError(`log store appended at ${index}, expected ${this.tree.size}`);
      this.remember(leafHash);
      return { index, leafHash };
    });
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Reads the leaves other writers of the same store appended since this log last looked (a shared database). */
  catchUp(): Promise<number> {
    const run = this.tail.then(async () => {
      await this.load(await this.store.size());
      return this.tree.size;
    });
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async load(size: number): Promise<void> {
    for (let i = this.tree.size; i < size; i++) {
      const row = await this.store.get(i);
      if (!row) throw new RangeError(`log store has no row ${i} although its size is at least ${size}`);
      this.remember(row.leafHash);
    }
  }

  private remember(leafHash: Uint8Array): void {
    const index = this.tree.push(leafHash);
    const key = bytesToHex(leafHash);
    if (!this.byHash.has(key)) this.byHash.set(key, index);
  }

  /** Index of the first leaf with this hash. */
  indexOf(leafHash: Uint8Array): number | undefined {
    return this.byHash.get(bytesToHex(leafHash));
  }

  leafHash(index: number): Uint8Array | undefined {
    return this.tree.leafHash(index);
  }

  root(size = this.size): Uint8Array {
    return this.tree.root(size);
  }

  inclusionProof(index: number, size = this.size): Uint8Array[] {
    return this.tree.inclusionProof(index, size);
  }

  consistencyProof(size1: number, size2 = this.size): Uint8Array[] {
    return this.tree.consistencyProof(size1, size2);
  }

  /** A signed checkpoint note for the tree of `size` leaves (default: all). */
  checkpoint(signers: readonly NoteSigner[], size = this.size): string {
    return signNote(
      formatCheckpoint({ origin: this.origin, size, rootHash: this.root(size), extensions: [] }),
      signers,
    );
  }
}
