/**
 * Gate fusion: consecutive gates are merged into blocks acting on at most `maxQubits` qubits, each block one dense
 * matrix applied in a single pass over the state. A gate may join an earlier open block when every block opened
 * after it acts on other qubits (the gates commute past them), so a layer of one-qubit rotations followed by a CZ
 * layer packs into few blocks. The block matrix is classified again when compiled, so diagonal or permuting
 * products keep their cheap kernels.
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
  | { readonly kind: 'op'; readonly op: UnitaryOp };

interface OpenBlock {
  qubits: Set<number>;
  ops: UnitaryOp[];
  /** A lone gate wider than the limit: nothing joins it. */
  wide?: boolean;
}

/** Fusion width chosen by benchmark (see docs/quantum-simulators.md): wider blocks cost more arithmetic per pass. */
export const DEFAULT_FUSION_QUBITS = 2;

export function fuseGates(ops: readonly UnitaryOp[], maxQubits: number): FusedBlock[] {
  const blocks: OpenBlock[] = [];
  /** Index of the last block touching each qubit. */
  const lastOf = new Map<number, number>();
  for (const op of ops) {
    const qs = [...op.targets, ...op.controls];
    let last = -1;
    for (const q of qs) last = Math.max(last, lastOf.get(q) ?? -1);
    let target = -1;
    if (qs.length <= maxQubits) {
      // The gate may join block `last` or any later one (those act on other qubits, so it commutes past them);
      // prefer the one whose qubit set grows least, looking back a bounded distance.
      let best = Infinity;
      for (let b = blocks.length - 1; b >= Math.max(last, 0, blocks.length - 64); b--) {
        const block = blocks[b];
        if (!block || block.wide) continue;
        let grow = 0;
        for (const q of qs) if (!block.qubits.has(q)) grow++;
        if (block.qubits.size + grow <= maxQubits && grow < best) {
          best = grow;
          target = b;
          if (grow === 0) break;
        }
      }
    }
    const block = blocks[target];
    if (block) {
      block.ops.push(op);
      for (const q of qs) block.qubits.add(q);
    } else {
      target = blocks.length;
      blocks.push({ qubits: new Set(qs), ops: [op], wide: qs.length > maxQubits });
    }
    for (const q of qs) lastOf.set(q, Math.max(lastOf.get(q) ?? -1, target));
  }
  return blocks.map((b): FusedBlock => {
    const [only] = b.ops;
    if (only && b.ops.length === 1) return { kind: 'op', op: only };
    const qubits = [...b.qubits].sort((x, y) => x - y);
    const dim = 1 << qubits.length;
    let matrix: Float64Array | undefined;
    for (const op of b.ops) {
      const g = expandGate(op, qubits);
      matrix = matrix ? multiply(g, matrix, dim) : g;
    }
    return { kind: 'block', qubits, matrix: matrix ?? new Float64Array(0), gates: b.ops.length };
  });
}
