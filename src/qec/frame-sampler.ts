/**
 * Pauli-frame sampler: propagates, for 32·W shots at once, which Pauli error each qubit carries relative to the
 * noiseless circuit (bit-packed: word w of qubit q holds shots 32w … 32w+31). A measurement's flip is the X (Z
 * basis) or Z (X basis) part of the frame; detectors and observables are parities of flips. This is exact for
 * circuits whose detectors and observables are deterministic without noise, which is what Stim's DETECTOR means.
 * (Stim also randomises the frame after resets and measurements, which only matters for non-deterministic
 * parities; this sampler does not.) Noise is drawn by geometric skipping, so the cost grows with the number of
 * errors, not the number of (location, shot) pairs.
 */
/* eslint-disable @typescript-eslint/no-non-null-assertion -- bit-packed index arithmetic, in range by construction */
import type { QecRng } from './rng.js';
import type { StimCircuit } from './stim-circuit.js';

export interface SampleBatch {
  readonly shots: number;
  /** Detectors that fired, per shot, ascending. */
  readonly events: number[][];
  /** Observable flips per shot as a bit mask. */
  readonly observables: Int32Array;
}

export class FrameSampler {
  private readonly c: StimCircuit;
  private readonly W: number;
  private readonly x: Int32Array;
  private readonly z: Int32Array;
  private readonly rec: Int32Array;
  private readonly det: Int32Array;
  private readonly obs: Int32Array;

  /** `words` 32-shot words per batch. */
  constructor(circuit: StimCircuit, words = 32) {
    this.c = circuit;
    this.W = words;
    this.x = new Int32Array(circuit.numQubits * words);
    this.z = new Int32Array(circuit.numQubits * words);
    this.rec = new Int32Array(circuit.numMeasurements * words);
    this.det = new Int32Array(circuit.numDetectors * words);
    this.obs = new Int32Array(Math.max(1, circuit.numObservables) * words);
  }

  get batchShots(): number {
    return 32 * this.W;
  }

  /** Samples one batch of `shots` ≤ batchShots shots. */
  sample(rng: QecRng, shots = this.batchShots): SampleBatch {
    const W = this.W;
    const { x, z, rec, det, obs } = this;
    x.fill(0);
    z.fill(0);
    det.fill(0);
    obs.fill(0);
    let m = 0;
    const total = shots;
    // Geometric skipping over the (target, shot) pairs of one noise instruction.
    const hits = (p: number, count: number, each: (target: number, word: number, bit: number) => void): void => {
      if (p <= 0) return;
      const n = count * total;
      if (p >= 1) {
        for (let i = 0; i < n; i++) each(Math.floor(i / total), (i % total) >> 5, 1 << ((i % total) & 31));
        return;
      }
      const logq = Math.log1p(-p);
      let i = -1;
      for (;;) {
        i += 1 + Math.floor(Math.log(1 - rng.next()) / logq);
        if (i >= n) return;
        const t = Math.floor(i / total);
        const s = i - t * total;
        each(t, s >> 5, 1 << (s & 31));
      }
    };
    for (const op of this.c.ops) {
      switch (op.kind) {
        case 'h':
          for (const q of op.qubits) {
            for (let w = 0, o = q * W; w < W; w++, o++) {
              const t = x[o]!;
              x[o] = z[o]!;
              z[o] = t;
            }
          }
          break;
        case 's':
          for (const q of op.qubits) for (let w = 0, o = q * W; w < W; w++, o++) z[o]! ^= x[o]!;
          break;
        case 'cx':
          for (let i = 0; i < op.qubits.length; i += 2) {
            const c = op.qubits[i]! * W;
            const t = op.qubits[i + 1]! * W;
            for (let w = 0; w < W; w++) {
              x[t + w]! ^= x[c + w]!;
              z[c + w]! ^= z[t + w]!;
            }
          }
          break;
        case 'cz':
          for (let i = 0; i < op.qubits.length; i += 2) {
            const a = op.qubits[i]! * W;
            const b = op.qubits[i + 1]! * W;
            for (let w = 0; w < W; w++) {
              z[a + w]! ^= x[b + w]!;
              z[b + w]! ^= x[a + w]!;
            }
          }
          break;
        case 'reset_z':
        case 'reset_x':
          for (const q of op.qubits) {
            x.fill(0, q * W, q * W + W);
            z.fill(0, q * W, q * W + W);
          }
          break;
        case 'measure_z':
        case 'measure_reset_z':
          for (const q of op.qubits) {
            rec.set(x.subarray(q * W, q * W + W), m * W);
            m++;
            if (op.kind === 'measure_reset_z') {
              x.fill(0, q * W, q * W + W);
              z.fill(0, q * W, q * W + W);
            }
          }
          break;
        case 'measure_x':
          for (const q of op.qubits) rec.set(z.subarray(q * W, q * W + W), m++ * W);
          break;
        case 'x_error':
          hits(op.p, op.qubits.length, (t, w, bit) => (x[op.qubits[t]! * W + w]! ^= bit));
          break;
        case 'z_error':
          hits(op.p, op.qubits.length, (t, w, bit) => (z[op.qubits[t]! * W + w]! ^= bit));
          break;
        case 'y_error':
          hits(op.p, op.qubits.length, (t, w, bit) => {
            x[op.qubits[t]! * W + w]! ^= bit;
            z[op.qubits[t]! * W + w]! ^= bit;
          });
          break;
        case 'depolarize1':
          hits(op.p, op.qubits.length, (t, w, bit) => {
            const k = 1 + rng.below(3); // 1 = X, 2 = Z, 3 = Y
            const o = op.qubits[t]! * W + w;
            if (k & 1) x[o]! ^= bit;
            if (k & 2) z[o]! ^= bit;
          });
          break;
        case 'depolarize2':
          hits(op.p, op.qubits.length / 2, (t, w, bit) => {
            const k = 1 + rng.below(15); // a non-identity pair of Paulis, 2 bits each
            const a = op.qubits[2 * t]! * W + w;
            const b = op.qubits[2 * t + 1]! * W + w;
            if (k & 1) x[a]! ^= bit;
            if (k & 2) z[a]! ^= bit;
            if (k & 4) x[b]! ^= bit;
            if (k & 8) z[b]! ^= bit;
          });
          break;
        case 'detector': {
          const o = op.id * W;
          for (const r of op.measurements) for (let w = 0; w < W; w++) det[o + w]! ^= rec[r * W + w]!;
          break;
        }
        case 'observable': {
          const o = op.id * W;
          for (const r of op.measurements) for (let w = 0; w < W; w++) obs[o + w]! ^= rec[r * W + w]!;
          break;
        }
        default: {
          const never: never = op;
          throw new Error(`unhandled operation ${JSON.stringify(never)}`);
        }
      }
    }
    const events: number[][] = Array.from({ length: shots }, () => []);
    for (let d = 0; d < this.c.numDetectors; d++) {
      for (let w = 0; w < W; w++) {
        let bits = det[d * W + w]!;
        while (bits !== 0) {
          const low = bits & -bits;
          const s = 32 * w + (31 - Math.clz32(low));
          if (s < shots) events[s]!.push(d);
          bits ^= low;
        }
      }
    }
    const observables = new Int32Array(shots);
    for (let k = 0; k < this.c.numObservables; k++) {
      for (let s = 0; s < shots; s++) if ((obs[k * W + (s >> 5)]! >>> (s & 31)) & 1) observables[s]! |= 1 << k;
    }
    return { shots, events, observables };
  }
}
