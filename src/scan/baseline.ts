/**
 * The known-good baseline ("semantic hashing" in the seed documents, done honestly): each known document becomes a
 * hashed n-gram vector (the classifier's features: character 3–5-grams and word 1–2-grams of the normalized text,
 * 2^16 buckets, unit length), and a new document's score is its cosine similarity to the nearest known one, found
 * by comparing with every known document (exact nearest neighbour, no index: a baseline of thousands of documents
 * is compared in milliseconds). This measures shared wording, not meaning: a document that says the same thing
 * in other words is far away. A document less similar to the baseline than its threshold is an outlier. The
 * default threshold is the lowest leave-one-out similarity among the known documents themselves (each compared
 * with all the others), so every known document would pass.
 */
import { FeatureHasher, type SparseVector } from './guard/features.js';
import { normalizeText } from './guard/normalize.js';

export const BASELINE_METHOD =
  'cosine similarity of hashed character 3-5-gram and word 1-2-gram vectors (2^16 buckets) to the nearest known document';
const BITS = 16;

export interface BaselineProfile {
  readonly method: string;
  readonly documents: readonly { readonly name: string; readonly vector: SparseVector }[];
  /** Outlier below this similarity. */
  readonly threshold: number;
}

/** Used when the baseline holds one document, where no leave-one-out value exists. */
export const SINGLE_DOCUMENT_THRESHOLD = 0.5;

let hasher: FeatureHasher | undefined;

function vectorOf(text: string): SparseVector {
  hasher ??= new FeatureHasher(BITS);
  hasher.add(normalizeText(text));
  return hasher.take();
}

function dot(dense: Float32Array, v: SparseVector): number {
  let s = 0;
  for (let k = 0; k < v.indices.length; k++) s += (dense[v.indices[k] ?? 0] ?? 0) * (v.values[k] ?? 0);
  return s;
}

function nearestTo(
  documents: BaselineProfile['documents'],
  v: SparseVector,
  skip = -1,
): { similarity: number; nearest: string | null } {
  const dense = new Float32Array(1 << BITS);
  for (let k = 0; k < v.indices.length; k++) dense[v.indices[k] ?? 0] = v.values[k] ?? 0;
  let best = { similarity: 0, nearest: null as string | null };
  documents.forEach((d, i) => {
    if (i === skip) return;
    const s = dot(dense, d.vector);
    if (best.nearest === null || s > best.similarity) best = { similarity: s, nearest: d.name };
  });
  return best;
}

/** A profile of known-good documents; `threshold` overrides the leave-one-out default. */
export function buildBaseline(
  documents: readonly { readonly name: string; readonly text: string }[],
  threshold?: number,
): BaselineProfile {
  const docs = documents.map((d) => ({ name: d.name, vector: vectorOf(d.text) }));
  let t = threshold;
  if (t === undefined) {
    if (docs.length < 2) t = SINGLE_DOCUMENT_THRESHOLD;
    else t = Math.min(...docs.map((d, i) => nearestTo(docs, d.vector, i).similarity));
  }
  return { method: BASELINE_METHOD, documents: docs, threshold: t };
}

/** The nearest known document and the similarity to it. */
export function nearestKnown(profile: BaselineProfile, text: string): { similarity: number; nearest: string | null } {
  return nearestTo(profile.documents, vectorOf(text));
}
