/**
 * Checks an audit-log entry's inclusion proof in the page, so a reader need not trust the gateway's word:
 * RFC 9162 §2.1.1 leaf and node hashes and the §2.1.3.2 verification algorithm, with SHA-256 from Web Crypto
 * (browsers give it to secure contexts: HTTPS, localhost, 127.0.0.1). Pure apart from that: the tests run it under
 * Node against the server's own log. Returns false, never throws, for anything malformed.
 */

export type Sha256 = (data: Uint8Array) => Promise<Uint8Array>;

export const webSha256: Sha256 = async (data) =>
  new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', data as Uint8Array<ArrayBuffer>));

function join(prefix: number, ...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(1 + parts.reduce((n, p) => n + p.length, 0));
  out[0] = prefix;
  let at = 1;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** RFC 9162 §2.1.1: the hash of a leaf is SHA-256(0x00 || entry). */
export function leafHash(entry: Uint8Array, sha256: Sha256 = webSha256): Promise<Uint8Array> {
  return sha256(join(0x00, entry));
}

export function fromBase64(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return undefined;
  const bin = atob(text);
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

export function fromHex(text: string): Uint8Array | undefined {
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(text)) return undefined;
  return Uint8Array.from(text.match(/../g) ?? [], (b) => parseInt(b, 16));
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** RFC 9162 §2.1.3.2: whether `proof` shows the leaf with hash `leaf` at `index` in the tree of `size` leaves with root `root`. */
export async function verifyInclusion(
  leaf: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
  sha256: Sha256 = webSha256,
): Promise<boolean> {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return false;
  if (leaf.length !== 32 || root.length !== 32 || proof.some((p) => p.length !== 32)) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  const odd = (n: number): boolean => n % 2 === 1;
  for (const p of proof) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      r = await sha256(join(0x01, p, r));
      while (!odd(fn) && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = await sha256(join(0x01, r, p));
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equal(r, root);
}

/** The tree size and root hash a C2SP checkpoint note states (its second and third lines). */
export function checkpointHead(note: string): { size: number; root: string } | undefined {
  const [, size, root] = note.split('\n');
  if (size === undefined || root === undefined || !/^(0|[1-9][0-9]{0,15})$/.test(size)) return undefined;
  return { size: Number(size), root };
}

export interface ProofAnswer {
  readonly compact: string;
  readonly logIndex: number;
  readonly leafHash: string;
  readonly treeSize: number;
  readonly rootHash: string;
  readonly inclusionProof: readonly string[];
  readonly checkpoint: string;
}

export interface ProofCheck {
  /** The leaf hash recomputed from the entry's text equals the one the gateway gave. */
  readonly leafMatches: boolean;
  /** The proof leads from that leaf to the root. */
  readonly included: boolean;
  /** The checkpoint note names the same tree size and root. */
  readonly checkpointMatches: boolean;
  readonly ok: boolean;
}

/** Checks a `GET /v1/tickets/:id` answer: leaf from the entry's own text, proof to the root, root in the checkpoint. */
export async function checkTicketProof(answer: ProofAnswer, sha256: Sha256 = webSha256): Promise<ProofCheck> {
  const leaf = await leafHash(new TextEncoder().encode(answer.compact), sha256);
  const leafMatches = toHex(leaf) === answer.leafHash.toLowerCase();
  const root = fromBase64(answer.rootHash);
  const proof = answer.inclusionProof.map(fromBase64);
  const included =
    root !== undefined &&
    proof.every((p) => p !== undefined) &&
    (await verifyInclusion(leaf, answer.logIndex, answer.treeSize, proof as Uint8Array[], root, sha256));
  const head = checkpointHead(answer.checkpoint);
  const checkpointMatches = head !== undefined && head.size === answer.treeSize && head.root === answer.rootHash;
  return { leafMatches, included, checkpointMatches, ok: leafMatches && included && checkpointMatches };
}
