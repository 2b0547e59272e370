/**
 * Hashed n-gram features of normalized text (the "hashing trick", Weinberger et al. 2009): character 3-, 4- and
 * 5-grams of the text with a space at each end, and word unigrams and bigrams, each hashed (FNV-1a, then the
 * MurmurHash3 finalizer to spread the bits) into one of 2^bits buckets. A bucket's value is 1 + ln(count), and
 * the vector is scaled to unit length, so a window's length changes its features little. No vocabulary is
 * stored: the model is its weight array alone.
 */

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
/** Distinct seeds keep a character n-gram and a word that spell the same from sharing a bucket by design. */
const WORD_SEED = 0x9747b28c;
const BIGRAM_SALT = 0x5bd1e995;

/** MurmurHash3's 32-bit finalizer. */
function fmix(h0: number): number {
  let h = h0 ^ (h0 >>> 16);
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** 1 + ln(count) for small counts, the common case. */
const LOG_TABLE = Float64Array.from({ length: 64 }, (_, c) => (c === 0 ? 0 : 1 + Math.log(c)));
const tf = (c: number): number => (c < 64 ? (LOG_TABLE[c] ?? 0) : 1 + Math.log(c));

function isWordChar(c: number): boolean {
  // ASCII digits and lower-case letters (the text is normalized to lower case), or any non-ASCII letter.
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c > 127 && c !== 0x2028 && c !== 0x2029);
}

/** Sparse unit-length feature vector: bucket indices (distinct) and their values. */
export interface SparseVector {
  readonly indices: Int32Array;
  readonly values: Float32Array;
}

/**
 * Counts the hashed n-grams of one text at a time into a dense scratch array and lists the buckets it touched, so
 * that reading the result and clearing it cost the number of n-grams, not the number of buckets.
 */
export class FeatureHasher {
  readonly dims: number;
  private readonly mask: number;
  private readonly counts: Float32Array;
  private touched: Int32Array;
  private size = 0;

  constructor(bits: number) {
    this.dims = 1 << bits;
    this.mask = this.dims - 1;
    this.counts = new Float32Array(this.dims);
    this.touched = new Int32Array(1024);
  }

  private bump(h: number): void {
    const i = fmix(h) & this.mask;
    if (this.counts[i] === 0) {
      if (this.size === this.touched.length) {
        const grown = new Int32Array(this.size * 2);
        grown.set(this.touched);
        this.touched = grown;
      }
      this.touched[this.size++] = i;
    }
    this.counts[i] = (this.counts[i] ?? 0) + 1;
  }

  /** Adds the n-grams of `text`, which must already be normalized (normalizeText). */
  add(text: string): void {
    const n = text.length;
    // Character n-grams over " " + text + " " (code units; positions -1 and n read as a space).
    const at = (i: number): number => (i < 0 || i === n ? 32 : text.charCodeAt(i));
    for (let i = -1; i < n - 1; i++) {
      let h = Math.imul(FNV_OFFSET ^ at(i), FNV_PRIME);
      h = Math.imul(h ^ text.charCodeAt(i + 1), FNV_PRIME);
      h = Math.imul(h ^ at(i + 2), FNV_PRIME);
      this.bump(h ^ 2);
      if (i + 3 > n) continue;
      h = Math.imul(h ^ at(i + 3), FNV_PRIME);
      this.bump(h ^ 3);
      if (i + 4 > n) continue;
      h = Math.imul(h ^ at(i + 4), FNV_PRIME);
      this.bump(h ^ 4);
    }
    // Words and word bigrams.
    let prev = 0;
    let hasPrev = false;
    let i = 0;
    while (i < n) {
      while (i < n && !isWordChar(text.charCodeAt(i))) i++;
      if (i >= n) break;
      let h = WORD_SEED;
      while (i < n && isWordChar(text.charCodeAt(i))) {
        h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
        i++;
      }
      this.bump(h);
      if (hasPrev) this.bump(Math.imul(prev ^ BIGRAM_SALT, FNV_PRIME) ^ h);
      prev = h;
      hasPrev = true;
    }
  }

  /** The unit-length vector of what was added, then clears. */
  take(): SparseVector {
    const indices = this.touched.slice(0, this.size);
    const values = new Float32Array(this.size);
    let norm = 0;
    for (let k = 0; k < this.size; k++) {
      const v = tf(this.counts[indices[k] ?? 0] ?? 1);
      values[k] = v;
      norm += v * v;
    }
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let k = 0; k < this.size; k++) values[k] = (values[k] ?? 0) * scale;
    this.clear();
    return { indices, values };
  }

  /** w·x for the unit-length vector of what was added (without building it), then clears. */
  dot(weights: Float32Array): number {
    let norm = 0;
    let dot = 0;
    for (let k = 0; k < this.size; k++) {
      const i = this.touched[k] ?? 0;
      const v = tf(this.counts[i] ?? 1);
      norm += v * v;
      dot += v * (weights[i] ?? 0);
    }
    this.clear();
    return norm > 0 ? dot / Math.sqrt(norm) : 0;
  }

  private clear(): void {
    for (let k = 0; k < this.size; k++) this.counts[this.touched[k] ?? 0] = 0;
    this.size = 0;
  }
}
