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
  for (const op of ops) {
    const qs = [...op.targets, ...op.controls];
    if (qs.length > maxQubits) {
      blocks.push({ qubits: new Set(qs), ops: [op], wide: true });
      continue;
    }
    let last = -1;
    for (let b = blocks.length - 1; b >= 0; b--) {
      if (qs.some((q) => blocks[b]?.qubits.has(q))) {
        last = b;
        break;
      }
    }
    const fits = (b: OpenBlock): boolean => !b.wide && new Set([...b.qubits, ...qs]).size <= maxQubits;
    let target: OpenBlock | undefined;
    const lastBlock = blocks[last];
    if (lastBlock) {
      if (fits(lastBlock)) target = lastBlock;
    } else {
      // Disjoint from every open block: any of them may take it; prefer the latest with room.
      target = blocks.findLast(fits);
    }
    if (target) {
      target.ops.push(op);
      for (const q of qs) target.qubits.add(q);
    } else {
      blocks.push({ qubits: new Set(qs), ops: [op] });
    }
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
