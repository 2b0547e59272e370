/**
 * Counts of measured outcomes, keyed by the classical bits as a string with the highest clbit first (clbit 0
 * rightmost), as every backend reports them. A run of 100k shots over 30 qubits gives about 100k distinct keys, so:
 * - registers up to 52 bits are tallied by their numeric value (no string per shot, a numeric sort), and their key
 *   strings are made once per distinct key, decoded from a byte buffer (flat strings: building them from pieces
 *   cost twice as much when the record is filled);
 * - sampled basis indices become register values without a per-outcome bit array, and while those values come in
 *   ascending order (every qubit measured into the clbit of its own number, the usual case) they are kept in
 *   arrays, not in a map;
 * - wider registers are tallied by their string key.
 */

/** Widest register tallied by numeric value (values stay exact integers in a double). */
const MAX_VALUE_BITS = 52;

/** groupTable(w)[v]: the w-character string of v's low w bits, highest first (built once per width). */
const groupTables = new Map<number, string[]>();
function groupTable(w: number): string[] {
  let t = groupTables.get(w);
  if (!t) {
    t = Array.from({ length: 2 ** w }, (_, v) => v.toString(2).padStart(w, '0'));
    groupTables.set(w, t);
  }
  return t;
}

/** Classical readout error: P(read 1 | 0) and P(read 0 | 1). */
export interface ReadoutError {
  readonly p01: number;
  readonly p10: number;
}

const LATIN1 = new TextDecoder('latin1');

export class CountTally {
  private readonly byValue = new Map<number, number>();
  /** Distinct values in ascending order and their counts, while every value so far came in that order. */
  private runValues = new Float64Array(0);
  private runCounts = new Float64Array(0);
  private runLength = 0;
  private readonly byKey = new Map<string, number>();
  private readonly numeric: boolean;
  private readonly full: string[];
  private readonly top: string[];
  private readonly groups: number;

  constructor(readonly keyBits: number) {
    this.numeric = keyBits <= MAX_VALUE_BITS;
    this.groups = Math.ceil(keyBits / 8);
    this.full = groupTable(8);
    this.top = groupTable(Math.max(0, keyBits - 8 * (this.groups - 1)));
  }

  /** The key of a clbit register (bit b of the register at character keyBits − 1 − b). */
  key(clbits: Uint8Array): string {
    let s = '';
    for (let g = this.groups - 1; g >= 0; g--) {
      const lo = 8 * g;
      const hi = Math.min(this.keyBits, lo + 8);
      let v = 0;
      for (let b = hi - 1; b >= lo; b--) v = (v << 1) | (clbits[b] ? 1 : 0);
      s += this.group(g, v);
    }
    return s;
  }

  private group(g: number, v: number): string {
    return (g === this.groups - 1 ? this.top[v] : this.full[v]) ?? '';
  }

  /** The key of a register given by its value (keyBits ≤ MAX_VALUE_BITS), written into `buf` and decoded. */
  private keyOfValue(value: number, buf: Uint8Array): string {
    const k = this.keyBits;
    let lo = value % 4294967296;
    let hi = Math.floor(value / 4294967296);
    for (let b = 0; b < k; b++) {
      buf[k - 1 - b] = 48 + (b < 32 ? lo & 1 : hi & 1);
      if (b < 32) lo >>>= 1;
      else hi >>>= 1;
    }
    return LATIN1.decode(buf);
  }

  /** Moves the ordered run into the map (a value out of order arrived, or a register was added). */
  private flushRun(): void {
    for (let i = 0; i < this.runLength; i++) {
      const v = this.runValues[i] ?? 0;
      this.byValue.set(v, (this.byValue.get(v) ?? 0) + (this.runCounts[i] ?? 0));
    }
    this.runLength = 0;
  }

  private valueOf(clbits: Uint8Array): number {
    let v = 0;
    for (let b = this.keyBits - 1; b >= 0; b--) v = v * 2 + (clbits[b] ? 1 : 0);
    return v;
  }

  add(clbits: Uint8Array, n: number): void {
    if (this.numeric) {
      this.flushRun();
      const v = this.valueOf(clbits);
      this.byValue.set(v, (this.byValue.get(v) ?? 0) + n);
    } else {
      const k = this.key(clbits);
      this.byKey.set(k, (this.byKey.get(k) ?? 0) + n);
    }
  }

  /**
   * Adds `shots` readings of the register `clbits`, each with readout error: every clbit in `measured` flips with
   * p10 when it holds 1 and p01 when it holds 0, one uniform from `rng` per flip considered.
   */
  addWithReadout(
    clbits: Uint8Array,
    shots: number,
    measured: readonly number[],
    readout: ReadoutError,
    rng: { next(): number },
  ): void {
    const noisy = clbits.slice();
    for (let s = 0; s < shots; s++) {
      noisy.set(clbits);
      for (const c of measured) {
        const flipP = noisy[c] ? readout.p10 : readout.p01;
        if (flipP > 0 && rng.next() < flipP) noisy[c] = noisy[c] ? 0 : 1;
      }
      this.add(noisy, 1);
    }
  }

  /**
   * Adds sampled basis indices with their multiplicities: the register is `base` with each terminal measurement's
   * clbit set to its qubit's bit in the index (indices below 2^53; qubits from 32 on read the high half).
   */
  addIndices(
    base: Uint8Array,
    terminal: readonly { readonly qubit: number; readonly clbit: number }[],
    index: Float64Array,
    count: Uint32Array,
  ): void {
    const qubits = Int32Array.from(terminal, (t) => t.qubit);
    const bits = base.slice();
    for (const t of terminal) bits[t.clbit] = 0;
    if (!this.numeric) {
      const clbits = Int32Array.from(terminal, (t) => t.clbit);
      for (let i = 0; i < index.length; i++) {
        const v = index[i] ?? 0;
        const lo = v % 4294967296;
        const hi = Math.floor(v / 4294967296);
        for (let j = 0; j < qubits.length; j++) {
          const q = qubits[j] ?? 0;
          bits[clbits[j] ?? 0] = q < 32 ? (lo >>> q) & 1 : (hi >>> (q - 32)) & 1;
        }
        this.add(bits, count[i] ?? 0);
      }
      return;
    }
    const baseValue = this.valueOf(bits);
    const weights = Float64Array.from(terminal, (t) => 2 ** t.clbit);
    // An ordered run is only started on an empty tally; it lasts while values keep ascending.
    let ordered = this.byValue.size === 0 && this.runLength === 0;
    if (ordered) {
      this.runValues = new Float64Array(index.length);
      this.runCounts = new Float64Array(index.length);
    }
    for (let i = 0; i < index.length; i++) {
      const v = index[i] ?? 0;
      const lo = v % 4294967296;
      const hi = Math.floor(v / 4294967296);
      let value = baseValue;
      for (let j = 0; j < qubits.length; j++) {
        const q = qubits[j] ?? 0;
        value += (q < 32 ? (lo >>> q) & 1 : (hi >>> (q - 32)) & 1) * (weights[j] ?? 0);
      }
      const n = count[i] ?? 0;
      if (ordered) {
        const last = this.runLength - 1;
        if (last < 0 || value > (this.runValues[last] ?? 0)) {
          this.runValues[this.runLength] = value;
          this.runCounts[this.runLength++] = n;
          continue;
        }
        if (value === this.runValues[last]) {
          this.runCounts[last] = (this.runCounts[last] ?? 0) + n;
          continue;
        }
        ordered = false;
        this.flushRun();
      }
      this.byValue.set(value, (this.byValue.get(value) ?? 0) + n);
    }
  }

  /** The counts as a record in ascending key order (filled by assignment: much faster than fromEntries). */
  record(): Record<string, number> {
    const out: Record<string, number> = {};
    if (this.numeric) {
      const buf = new Uint8Array(this.keyBits);
      if (this.byValue.size === 0) {
        for (let i = 0; i < this.runLength; i++) {
          out[this.keyOfValue(this.runValues[i] ?? 0, buf)] = this.runCounts[i] ?? 0;
        }
        return out;
      }
      this.flushRun();
      for (const v of Float64Array.from(this.byValue.keys()).sort()) {
        out[this.keyOfValue(v, buf)] = this.byValue.get(v) ?? 0;
      }
    } else {
      for (const k of [...this.byKey.keys()].sort()) out[k] = this.byKey.get(k) ?? 0;
    }
    return out;
  }
}
