/**
 * Gate fusion: consecutive gates are merged into blocks, each applied in a single pass over the state. A gate may
 * join an earlier open block when every block opened after it acts on other qubits (the gates commute past them),
 * so a layer of one-qubit rotations followed by a CZ layer packs into few blocks.
 *
 * Two widths: a block holding any non-diagonal gate spans at most `maxQubits` qubits (a dense k-qubit pass costs
 * 2^k multiply-adds per amplitude), while a block of diagonal gates only (rz, p, cz, cp, rzz …) may span up to
 * `maxDiagonalQubits`, because a diagonal pass costs one multiply per amplitude whatever its width: the controlled
 * phases of a QFT row collapse into one pass. Block matrices are classified again when compiled, so diagonal or
 * permuting products keep their cheap kernels.
 */
import type { UnitaryOp } from '../circuit.js';
import { expandGate, multiply } from './expand.js';

/** A fused block, or a gate left alone (it fused with nothing, or is wider than the fusion limit). */
export type FusedBlock =
  | {
      readonly kind: 'block';
      /** Sorted qubits of the block (local bit j ↔ qubits[j]). */
      readonly qubits: readonly number[];
      readonly matrix: Float64Array;
      /** How many circuit gates the block replaces (≥ 2). */
      readonly gates: number;
    }
  | {
      readonly kind: 'diagonal';
      readonly qubits: readonly number[];
      /** Diagonal entries, interleaved: entry l at 2l. */
      readonly diagonal: Float64Array;
      readonly gates: number;
    }
  | { readonly kind: 'op'; readonly op: UnitaryOp };

interface OpenBlock {
  qubits: Set<number>;
  ops: UnitaryOp[];
  diagonal: boolean;
  /** A lone gate wider than the limit: nothing joins it. */
  wide: boolean;
}

/** Fusion width chosen by benchmark (see docs/benchmarks.md, "Quantum simulators"). */
export const DEFAULT_FUSION_QUBITS = 2;
/** Width of all-diagonal blocks: a table of 2^10 entries stays in the L1/L2 cache. */
export const DEFAULT_DIAGONAL_FUSION_QUBITS = 10;

const ZERO = 1e-14;

export function isDiagonalMatrix(m: Float64Array): boolean {
  const dim = Math.round(Math.sqrt(m.length / 2));
  for (let r = 0; r < dim; r++) {
    for (let c = 0; c < dim; c++) {
      if (r === c) continue;
      const x = 2 * (r * dim + c);
      if (Math.abs(m[x] ?? 0) > ZERO || Math.abs(m[x + 1] ?? 0) > ZERO) return false;
    }
  }
  return true;
}

export function fuseGates(
  ops: readonly UnitaryOp[],
  maxQubits: number,
  maxDiagonalQubits = Math.max(maxQubits, DEFAULT_DIAGONAL_FUSION_QUBITS),
): FusedBlock[] {
  const blocks: OpenBlock[] = [];
  /** Index of the last block touching each qubit. */
  const lastOf = new Map<number, number>();
  const diagonalCache = new WeakMap<Float64Array, boolean>();
  const diagonalOf = (m: Float64Array): boolean => {
    let d = diagonalCache.get(m);
    if (d === undefined) {
      d = isDiagonalMatrix(m);
      diagonalCache.set(m, d);
    }
    return d;
  };
  for (const op of ops) {
    const qs = [...op.targets, ...op.controls];
    const diagonal = diagonalOf(op.matrix);
    const limit = (blockDiagonal: boolean): number => (blockDiagonal && diagonal ? maxDiagonalQubits : maxQubits);
    let last = -1;
    for (const q of qs) last = Math.max(last, lastOf.get(q) ?? -1);
    let target = -1;
    if (qs.length <= limit(true)) {
      // The gate may join block `last` or any later one (those act on other qubits, so it commutes past them);
      // prefer the one whose qubit set grows least, looking back a bounded distance.
      // A diagonal gate folds into a dense block when one takes it as cheaply as a diagonal block would.
      let best = Infinity;
      for (let b = blocks.length - 1; b >= Math.max(last, 0, blocks.length - 64); b--) {
        const block = blocks[b];
        if (!block || block.wide) continue;
        let grow = 0;
        for (const q of qs) if (!block.qubits.has(q)) grow++;
        const score = 2 * grow + (diagonal && block.diagonal ? 1 : 0);
        if (block.qubits.size + grow <= limit(block.diagonal) && score < best) {
          best = score;
          target = b;
          if (score === 0) break;
        }
      }
    }
    const block = blocks[target];
    if (block) {
      block.ops.push(op);
      block.diagonal &&= diagonal;
      for (const q of qs) block.qubits.add(q);
    } else {
      target = blocks.length;
      blocks.push({ qubits: new Set(qs), ops: [op], diagonal, wide: qs.length > limit(true) });
    }
    for (const q of qs) lastOf.set(q, Math.max(lastOf.get(q) ?? -1, target));
  }
  return blocks.map((b): FusedBlock => {
    const [only] = b.ops;
    if (only && b.ops.length === 1) return { kind: 'op', op: only };
    const qubits = [...b.qubits].sort((x, y) => x - y);
    if (b.diagonal) return { kind: 'diagonal', qubits, diagonal: diagonalProduct(b.ops, qubits), gates: b.ops.length };
    const dim = 1 << qubits.length;
    let matrix: Float64Array | undefined;
    for (const op of b.ops) {
      const g = expandGate(op, qubits);
      matrix = matrix ? multiply(g, matrix, dim) : g;
    }
    return { kind: 'block', qubits, matrix: matrix ?? new Float64Array(0), gates: b.ops.length };
  });
}

/** Entry l of the product of diagonal gates on `qubits` (local bit j ↔ qubits[j]). */
function diagonalProduct(ops: readonly UnitaryOp[], qubits: readonly number[]): Float64Array {
  const dim = 1 << qubits.length;
  const out = new Float64Array(2 * dim);
  for (let l = 0; l < dim; l++) out[2 * l] = 1;
  for (const op of ops) {
    const tpos = op.targets.map((q) => qubits.indexOf(q));
    const cpos = op.controls.map((q) => qubits.indexOf(q));
    const gdim = 1 << op.targets.length;
    for (let l = 0; l < dim; l++) {
      if (!cpos.every((p, i) => ((l >> p) & 1) === (op.controlValues[i] ?? 1))) continue;
      let g = 0;
      tpos.forEach((p, j) => (g |= ((l >> p) & 1) << j));
      const dr = op.matrix[2 * (g * gdim + g)] ?? 0;
      const di = op.matrix[2 * (g * gdim + g) + 1] ?? 0;
      const r = out[2 * l] ?? 0;
      const i = out[2 * l + 1] ?? 0;
      out[2 * l] = r * dr - i * di;
      out[2 * l + 1] = r * di + i * dr;
    }
  }
  return out;
}
