/**
 * The one state-vector kernel of the front end and the reference simulator: apply a (controlled) matrix on some
 * target qubits of an interleaved complex vector, in place. It favours clarity over speed; the fast backends live
 * elsewhere and are checked against this.
 */
/* eslint-disable @typescript-eslint/no-non-null-assertion -- indices here are in range by construction (loop bounds,
   matrix dimensions, checked lookups); noUncheckedIndexedAccess would otherwise make every array read optional. */
import type { ComplexMatrix } from '../circuit.js';

export interface GateAction {
  readonly targets: readonly number[];
  readonly matrix: ComplexMatrix;
  readonly controls: readonly number[];
  readonly controlValues: readonly (0 | 1)[];
}

/**
 * state ← (P_on ⊗ M + P_off ⊗ I)·state, where P_on projects on the control pattern. With `offControl: 'zero'` the
 * identity part is dropped (P_on ⊗ M only): the derivative of a controlled gate with respect to a parameter of M.
 */
export function applyGate(
  state: Float64Array,
  numQubits: number,
  action: GateAction,
  offControl: 'keep' | 'zero' = 'keep',
): void {
  const { targets, matrix, controls, controlValues } = action;
  const k = targets.length;
  const dim = 1 << k;
  let controlMask = 0;
  let controlPattern = 0;
  controls.forEach((q, i) => {
    controlMask |= 1 << q;
    if (controlValues[i] === 1) controlPattern |= 1 << q;
  });
  let targetMask = 0;
  for (const t of targets) targetMask |= 1 << t;
  // offsets[j] = the basis-index bits of target pattern j (bit b of j goes to qubit targets[b])
  const offsets = new Array<number>(dim);
  for (let j = 0; j < dim; j++) {
    let o = 0;
    for (let b = 0; b < k; b++) if ((j >> b) & 1) o |= 1 << targets[b]!;
    offsets[j] = o;
  }
  const re = new Float64Array(dim);
  const im = new Float64Array(dim);
  const size = 2 ** numQubits;
  for (let base = 0; base < size; base++) {
    if ((base & targetMask) !== 0) continue;
    if ((base & controlMask) !== controlPattern) {
      if (offControl === 'zero') {
        for (let j = 0; j < dim; j++) {
          const idx = base | offsets[j]!;
          state[2 * idx] = 0;
          state[2 * idx + 1] = 0;
        }
      }
      continue;
    }
    for (let j = 0; j < dim; j++) {
      const idx = base | offsets[j]!;
      re[j] = state[2 * idx]!;
      im[j] = state[2 * idx + 1]!;
    }
    for (let r = 0; r < dim; r++) {
      let sr = 0;
      let si = 0;
      for (let c = 0; c < dim; c++) {
        const mr = matrix[2 * (r * dim + c)]!;
        const mi = matrix[2 * (r * dim + c) + 1]!;
        sr += mr * re[c]! - mi * im[c]!;
        si += mr * im[c]! + mi * re[c]!;
      }
      const idx = base | offsets[r]!;
      state[2 * idx] = sr;
      state[2 * idx + 1] = si;
    }
  }
}
