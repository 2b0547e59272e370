/**
 * Classical data into qubits (the "quantum embedding" phase of a hybrid loop), as OpenQASM 3 programs that declare
 * `qubit[n] q;` and prepare the encoded state, so a block appends its own gates and measurements.
 *
 * - Angle encoding: feature x_i → a rotation `ry(x_i)` (or `rx`, or `h` then `rz`) on qubit i. n features use n
 *   qubits and n one-qubit gates, depth 1. The features are angles: scale them to [0, π] first when they are not.
 * - Amplitude encoding: the vector, normalised and padded with zeros to 2^n entries, becomes the amplitudes
 *   (basis state index i = Σ b_k 2^k, qubit k is bit k, as in the counts). Real values only, signs included. The
 *   state is prepared top-down as a binary tree of `ry` rotations (Möttönen et al., quant-ph/0407010): qubit n−1
 *   splits the norm between the two halves, then each lower qubit, controlled on the values above it, splits its
 *   half; at qubit 0 the angle 2·atan2(b, a) also carries the signs. At most 2^n − 1 rotations, the one on qubit k
 *   with n−1−k controls (`ctrl @`/`negctrl @`); rotations by 0 are left out. On hardware a uniformly controlled
 *   rotation on k controls costs 2^k CNOTs, so about 2^n CNOTs in all: exponential in the qubits, linear in the
 *   length of the vector.
 */

export type AngleRotation = 'rx' | 'ry' | 'rz';

export interface Embedding {
  /** The OpenQASM 3 program: header, `qubit[n] q;` and the state preparation. */
  readonly qasm: string;
  readonly qubits: number;
  /** One-qubit rotations, controlled or not, in the program. */
  readonly rotations: number;
  /** Most controls on one rotation (0 for angle encoding). */
  readonly maxControls: number;
}

export type EmbeddingResult =
  { readonly ok: true; readonly value: Embedding } | { readonly ok: false; readonly message: string };

/** Longest vector amplitude encoding takes (2^14 amplitudes: 14 qubits, up to 16 383 rotations). */
export const MAX_AMPLITUDES = 2 ** 14;
/** Most features angle encoding takes (one qubit each). */
export const MAX_ANGLE_FEATURES = 1000;

const HEADER = 'OPENQASM 3.0;\ninclude "stdgates.inc";';

/** Shortest text that reads back as the same double. */
function literal(x: number): string {
  return Object.is(x, -0) ? '0' : String(x);
}

function checkFeatures(features: readonly unknown[], most: number): string | undefined {
  if (features.length === 0) return 'there are no features to encode';
  if (features.length > most) return `${features.length} features is more than the ${most} this encoding takes`;
  const bad = features.findIndex((x) => typeof x !== 'number' || !Number.isFinite(x));
  if (bad >= 0) return `feature ${bad} is ${JSON.stringify(features[bad])?.slice(0, 40)}, not a finite number`;
  return undefined;
}

export function angleEncoding(features: readonly unknown[], rotation: AngleRotation = 'ry'): EmbeddingResult {
  const problem = checkFeatures(features, MAX_ANGLE_FEATURES);
  if (problem !== undefined) return { ok: false, message: problem };
  const n = features.length;
  const lines = [HEADER, `qubit[${n}] q;`];
  if (rotation === 'rz') lines.push('h q;');
  (features as readonly number[]).forEach((x, i) => lines.push(`${rotation}(${literal(x)}) q[${i}];`));
  return { ok: true, value: { qasm: lines.join('\n'), qubits: n, rotations: n, maxControls: 0 } };
}

export function amplitudeEncoding(values: readonly unknown[]): EmbeddingResult {
  const problem = checkFeatures(values, MAX_AMPLITUDES);
  if (problem !== undefined) return { ok: false, message: problem };
  const n = Math.max(1, Math.ceil(Math.log2(values.length)));
  const size = 2 ** n;
  const v = new Float64Array(size);
  (values as readonly number[]).forEach((x, i) => (v[i] = x));
  const norm = Math.hypot(...v);
  if (!(norm > 0)) return { ok: false, message: 'the vector is zero: amplitude encoding needs a nonzero norm' };
  // Norms of every subtree: level k holds 2^(n−k) sums of squares over blocks of 2^k entries.
  const squares: Float64Array[] = [v.map((x) => x * x)];
  for (let k = 1; k <= n; k++) {
    const below = squares[k - 1] as Float64Array;
    squares.push(new Float64Array(below.length / 2).map((_, j) => (below[2 * j] ?? 0) + (below[2 * j + 1] ?? 0)));
  }
  const lines = [HEADER, `qubit[${n}] q;`];
  let rotations = 0;
  // Qubit k from n−1 down to 0; `prefix` enumerates the values of qubits n−1…k+1 (its bits, high to low).
  for (let k = n - 1; k >= 0; k--) {
    const controls = n - 1 - k;
    for (let prefix = 0; prefix < 2 ** controls; prefix++) {
      // The two children (qubit k = 0 or 1) of this node are blocks of 2^k entries at index (prefix·2 + b)·2^k.
      const left = 2 * prefix;
      const angle =
        k === 0
          ? 2 * Math.atan2(v[left + 1] ?? 0, v[left] ?? 0)
          : 2 * Math.atan2(Math.sqrt(squares[k]?.[left + 1] ?? 0), Math.sqrt(squares[k]?.[left] ?? 0));
      if (angle === 0) continue;
      const modifiers: string[] = [];
      const qubits: string[] = [];
      for (let c = 0; c < controls; c++) {
        const qubit = n - 1 - c;
        const bit = (prefix >> (controls - 1 - c)) & 1;
        modifiers.push(bit === 1 ? 'ctrl @ ' : 'negctrl @ ');
        qubits.push(`q[${qubit}]`);
      }
      qubits.push(`q[${k}]`);
      lines.push(`${modifiers.join('')}ry(${literal(angle)}) ${qubits.join(', ')};`);
      rotations++;
    }
  }
  return { ok: true, value: { qasm: lines.join('\n'), qubits: n, rotations, maxControls: Math.max(0, n - 1) } };
}
