/**
 * Chooses the kernel for a dense op from the structure of its matrix: one-qubit gates by whether they are real
 * and controlled; two-qubit gates by whether they are a controlled one-qubit gate, block-diagonal (a one-qubit gate
 * chosen by the other qubit), real, or general. Computed once per compiled op and cached; ops decoded afresh on a
 * worker thread pay for the classification again, a few dozen comparisons per pass.
 */
import type { CompiledOp } from './compiled-op.js';

export const DENSE_FORMS = [
  'one',
  'one-real',
  'one-controlled',
  'two',
  'two-real',
  'two-block',
  'two-controlled',
  'wide',
] as const;
export type DenseForm = (typeof DENSE_FORMS)[number];

export interface DensePlan {
  readonly form: DenseForm;
  /** The one-qubit matrix; for two-block the block on the pair at `0`, for two-controlled the block that acts. */
  readonly a: Float64Array;
  /** two-block: the block on the pair at `start`. */
  readonly c: Float64Array;
  /** Double offset between the two amplitudes of a pair. */
  readonly off: number;
  /** Double offset of the pair `a` (two-controlled) or `c` (two-block) acts on, from 2·(base | controls). */
  readonly start: number;
}

/** Same threshold as the kind classification in compiled-op.ts: fused products leave ~1e-17 residues. */
const ZERO = 1e-14;

const plans = new WeakMap<CompiledOp, DensePlan>();

export function densePlan(op: CompiledOp): DensePlan {
  let plan = plans.get(op);
  if (!plan) {
    plan = classify(op);
    plans.set(op, plan);
  }
  return plan;
}

const tiny = (v: number | undefined): boolean => Math.abs(v ?? 0) <= ZERO;
const isReal = (m: Float64Array): boolean => {
  for (let i = 1; i < m.length; i += 2) if (!tiny(m[i])) return false;
  return true;
};
const isIdentity2 = (m: Float64Array): boolean =>
  tiny((m[0] ?? 0) - 1) && tiny(m[1]) && tiny(m[2]) && tiny(m[3]) && tiny(m[4]) && tiny(m[5]) && tiny((m[6] ?? 0) - 1);

function classify(op: CompiledOp): DensePlan {
  const m = op.values;
  const none = new Float64Array(0);
  const k = op.targets.length;
  const off1 = 2 * (op.offsets[1] ?? 0);
  if (k === 1) {
    if (op.sorted.length > 1) return { form: 'one-controlled', a: m, c: none, off: off1, start: 0 };
    return { form: isReal(m) ? 'one-real' : 'one', a: m, c: none, off: off1, start: 0 };
  }
  if (k !== 2) return { form: 'wide', a: m, c: none, off: 0, start: 0 };
  const off2 = 2 * (op.offsets[2] ?? 0);
  // Local index l = bit of targets[0] + 2 · bit of targets[1]. Block-diagonal in bit `sel`: no entry links rows and
  // columns that differ in that bit; the other bit's pairs then get one 2×2 block each.
  for (const sel of [1, 0] as const) {
    let block = true;
    for (let r = 0; r < 4 && block; r++) {
      for (let c = 0; c < 4; c++) {
        if (((r ^ c) >> sel) & 1 && (!tiny(m[2 * (4 * r + c)]) || !tiny(m[2 * (4 * r + c) + 1]))) {
          block = false;
          break;
        }
      }
    }
    if (!block) continue;
    const other = 1 - sel;
    const lo = subBlock(m, 0, 1 << other);
    const hi = subBlock(m, 1 << sel, (1 << sel) | (1 << other));
    const off = other === 0 ? off1 : off2;
    const start = sel === 0 ? off1 : off2;
    if (isIdentity2(lo)) return { form: 'two-controlled', a: hi, c: none, off, start };
    if (isIdentity2(hi)) return { form: 'two-controlled', a: lo, c: none, off, start: 0 };
    return { form: 'two-block', a: lo, c: hi, off, start };
  }
  return { form: isReal(m) ? 'two-real' : 'two', a: m, c: none, off: off1, start: off2 };
}

/** The 2×2 block of the 4×4 `m` on local states (p, q), interleaved. */
function subBlock(m: Float64Array, p: number, q: number): Float64Array {
  const at = (r: number, c: number, im: 0 | 1): number => m[2 * (4 * r + c) + im] ?? 0;
  return Float64Array.of(
    at(p, p, 0),
    at(p, p, 1),
    at(p, q, 0),
    at(p, q, 1),
    at(q, p, 0),
    at(q, p, 1),
    at(q, q, 0),
    at(q, q, 1),
  );
}
