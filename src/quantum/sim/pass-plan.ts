/**
 * The pass planner of every state-vector backend: packs a run of unitary gates into as few passes over the state
 * as it can. The GPU runs a tile pass in workgroup memory (src/quantum-gpu); the CPU gathers each tile into a
 * cache-sized buffer and runs the tile's gates there (tile-program.ts), so both consume the same plan and keep
 * their own kernels.
 *
 * A tile pass works on a chosen set S of t qubits: every workgroup loads the 2^t amplitudes that differ only in
 * the bits of S (one "tile": the low L qubits, kept in S for coalesced access, plus higher qubits whose bits are
 * inserted into the tile's base index, plus at most `maxChunkBits` chunk-selecting qubits whose chunks the
 * dispatch binds together), applies a list of gates in workgroup memory and writes the tile back. A gate goes into
 * the pass when its moved qubits (the targets of a non-diagonal gate) lie in S; its other qubits (controls, the
 * qubits of a diagonal gate) may lie outside S, because every qubit outside S is fixed for a whole tile: the gate
 * then acts on the tile with the matrix selected by those bits. So diagonal gates that straddle two tile sets
 * (a CZ between neighbouring groups) join whichever pass comes after their predecessors.
 *
 * Gates move past earlier gates they commute with: two gates commute when on every qubit they share both are
 * diagonal in that qubit (a control, or a qubit of a diagonal gate). For each pass the planner tries a fixed
 * cover of the qubits by tile sets and a set built from the most urgent qubits, takes every gate reachable in the
 * dependency graph whose moved qubits lie inside, and keeps the candidate that takes most. A gate that fits no tile
 * (a dense gate on more than MAX_TILE_GATE_QUBITS tile qubits, or one moving more chunk qubits than a tile binds)
 * becomes a pass of its own, run by the dense and diagonal kernels. The gates of one tile pass are fused into blocks of up to
 * `fusionQubits` qubits before they are recorded.
 *
 * Pure TypeScript, no I/O: the plan is tested on its own.
 */
import type { UnitaryOp } from '../circuit.js';
import { expandGate } from './expand.js';
import { fuseGates, isDiagonalMatrix } from './fusion.js';

/** Qubits inside a tile a single tile gate may act on densely (its 2^k amplitudes per thread). */
export const MAX_TILE_GATE_QUBITS = 3;
/** Qubits outside the tile a tile gate may depend on (they select one of 2^s matrices per tile). */
export const MAX_TILE_SELECTORS = 4;

export interface PassPlanOptions {
  readonly numQubits: number;
  /** log2 of the amplitudes per chunk buffer: qubits ≥ this select chunks. */
  readonly chunkQubits: number;
  /** Tile width t upper bound (2^t amplitudes in workgroup memory). */
  readonly tileQubits: number;
  /** Low qubits every tile contains (consecutive amplitudes, for coalesced loads). */
  readonly lowQubits: number;
  /** Chunk-selecting qubits one tile may contain (2^this buffers bound together). */
  readonly maxChunkBits: number;
  /** Width of the blocks the gates of one tile pass are fused into (1 = no fusion, at most 3). */
  readonly fusionQubits: number;
  /**
   * Width of all-diagonal blocks in a tile pass (default: `fusionQubits`): the CPU merges the controlled phases of
   * a QFT row into one diagonal per tile, which costs one multiply per amplitude whatever its width.
   */
  readonly diagonalFusionQubits?: number;
}

/** Widest all-diagonal tile block: its dense form (split per selector) has 4^this entries. */
export const MAX_TILE_DIAGONAL_QUBITS = 6;

/** One gate of a tile pass: a 2^k matrix on tile bits, one per value of its selector qubits. */
export interface TileGate {
  /** Tile bit positions (indices into the pass's qubits), ascending; matrix bit j ↔ positions[j]. */
  readonly positions: readonly number[];
  /** Qubits outside the tile; bit j of the selector value ↔ selectors[j]. */
  readonly selectors: readonly number[];
  /** 2^selectors.length matrices of 2^k × 2^k complex entries, row-major, interleaved re/im. */
  readonly matrices: Float64Array;
  /** Circuit gates this tile gate stands for. */
  readonly gates: number;
  /** Whether every matrix is diagonal. */
  readonly diagonal: boolean;
}

export type PlannedPass =
  | {
      readonly kind: 'tile';
      /** The tile's qubits, ascending (tile bit j ↔ qubits[j]). */
      readonly qubits: readonly number[];
      readonly gates: readonly TileGate[];
      /** Circuit gates in the pass. */
      readonly ops: number;
      /** The circuit gates themselves, in an order valid for the pass (for running it through other kernels). */
      readonly source: readonly UnitaryOp[];
    }
  | { readonly kind: 'op'; readonly op: UnitaryOp };

/** The tile width the planner uses: t ≤ the requested width, the state, and the chunk plus its chunk bits. */
export function tileWidth(o: PassPlanOptions): number {
  return Math.max(1, Math.min(o.tileQubits, o.numQubits, o.chunkQubits + o.maxChunkBits));
}

interface Node {
  readonly op: UnitaryOp;
  readonly qubits: readonly number[];
  /** Qubits the gate moves (targets of a non-diagonal gate). */
  readonly moved: readonly number[];
  readonly preds: number[];
  readonly succs: number[];
}

function buildGraph(ops: readonly UnitaryOp[]): Node[] {
  const nodes: Node[] = [];
  const lastMoved = new Map<number, number>();
  const diagSince = new Map<number, number[]>();
  ops.forEach((op, i) => {
    const diagonal = isDiagonalMatrix(op.matrix);
    const moved = diagonal ? [] : [...op.targets];
    const qubits = [...op.targets, ...op.controls];
    const preds = new Set<number>();
    for (const q of qubits) {
      const lm = lastMoved.get(q);
      if (lm !== undefined) preds.add(lm);
      if (moved.includes(q)) {
        for (const d of diagSince.get(q) ?? []) preds.add(d);
        lastMoved.set(q, i);
        diagSince.set(q, []);
      } else {
        const list = diagSince.get(q) ?? [];
        list.push(i);
        diagSince.set(q, list);
      }
    }
    nodes.push({ op, qubits, moved, preds: [...preds], succs: [] });
  });
  nodes.forEach((n, i) => n.preds.forEach((p) => nodes[p]?.succs.push(i)));
  return nodes;
}

/** Whether gate `n` can run inside a tile on the qubit set `inS`. */
function fits(n: Node, inS: (q: number) => boolean): boolean {
  if (!n.moved.every(inS)) return false;
  let inside = 0;
  for (const q of n.qubits) if (inS(q)) inside++;
  return inside <= MAX_TILE_GATE_QUBITS && n.qubits.length - inside <= MAX_TILE_SELECTORS;
}

/**
 * Plans the passes for `ops`. The result applies the same unitary as the gates in circuit order (gates only move
 * past gates they commute with).
 */
export function planPasses(ops: readonly UnitaryOp[], o: PassPlanOptions): PlannedPass[] {
  const n = o.numQubits;
  const c = o.chunkQubits;
  const t = tileWidth(o);
  const low = Math.min(o.lowQubits, c, t);
  const nodes = buildGraph(ops);
  const remaining = nodes.map((x) => x.preds.length);
  const taken = new Uint8Array(nodes.length);
  let done = 0;
  const passes: PlannedPass[] = [];
  const covers = coverSets(n, c, t, low, o.maxChunkBits);

  /** Gates a pass on S would take, in a valid order (simulated on copies of the counters). */
  const simulate = (S: readonly number[]): number[] => {
    const set = new Uint8Array(n);
    for (const q of S) set[q] = 1;
    const inS = (q: number): boolean => set[q] === 1;
    const rem = new Map<number, number>();
    const order: number[] = [];
    // Ready gates in index order; a taken gate may make later ones ready.
    const ready: number[] = [];
    for (let i = 0; i < nodes.length; i++) if (!taken[i] && remaining[i] === 0) ready.push(i);
    const heap = new MinHeap(ready);
    while (heap.size > 0) {
      const i = heap.pop();
      const node = nodes[i];
      if (!node || !fits(node, inS)) continue;
      order.push(i);
      for (const s of node.succs) {
        const r = (rem.get(s) ?? remaining[s] ?? 0) - 1;
        rem.set(s, r);
        if (r === 0) heap.push(s);
      }
    }
    return order;
  };

  const take = (order: readonly number[]): void => {
    for (const i of order) {
      taken[i] = 1;
      done++;
      for (const s of nodes[i]?.succs ?? []) remaining[s] = (remaining[s] ?? 0) - 1;
    }
  };

  while (done < nodes.length) {
    const candidates = [...covers, urgentSet(nodes, taken, remaining, n, c, t, low, o.maxChunkBits)];
    let best: { S: readonly number[]; order: number[] } | undefined;
    for (const S of candidates) {
      if (!S) continue;
      const order = simulate(S);
      if (order.length > (best?.order.length ?? 0)) best = { S, order };
    }
    if (best) {
      take(best.order);
      const S = [...best.S].sort((a, b) => a - b);
      passes.push({
        kind: 'tile',
        qubits: S,
        gates: tileGates(
          best.order.map((i) => nodes[i]?.op as UnitaryOp),
          S,
          o.fusionQubits,
          o.diagonalFusionQubits ?? o.fusionQubits,
        ),
        ops: best.order.length,
        source: best.order.map((i) => nodes[i]?.op as UnitaryOp),
      });
      continue;
    }
    // No tile takes anything: the earliest ready gate runs as a pass of its own.
    const i = remaining.findIndex((r, j) => r === 0 && !taken[j]);
    const node = nodes[i];
    if (!node) throw new Error('pass planner: no ready gate (dependency cycle)');
    take([i]);
    passes.push({ kind: 'op', op: node.op });
  }
  return passes;
}

/**
 * A fixed cover of all qubits by tile sets: the qubits above the low ones in consecutive runs of nearly equal
 * length, each set filled up to t with neighbouring qubits, at most `maxChunkBits` chunk qubits and at most c
 * local qubits per set.
 */
export function coverSets(n: number, c: number, t: number, low: number, maxChunkBits: number): number[][] {
  const rest = Array.from({ length: Math.max(0, n - low) }, (_, i) => low + i);
  if (rest.length === 0) return [Array.from({ length: n }, (_, q) => q)];
  const per = t - low;
  if (per <= 0) return [];
  const chunkQubits = rest.filter((q) => q >= c).length;
  const groups = Math.max(Math.ceil(rest.length / per), Math.ceil(chunkQubits / Math.max(1, maxChunkBits)));
  const out: number[][] = [];
  for (let g = 0; g < groups; g++) {
    const from = Math.floor((g * rest.length) / groups);
    const to = Math.floor(((g + 1) * rest.length) / groups);
    const run = rest.slice(from, to);
    const S = Array.from({ length: low }, (_, q) => q);
    const add = (q: number): boolean => {
      if (S.includes(q) || S.length >= t) return false;
      const chunks = S.filter((x) => x >= c).length;
      const locals = S.length - chunks;
      if (q >= c ? chunks >= maxChunkBits : locals >= c) return false;
      S.push(q);
      return true;
    };
    for (const q of run) add(q);
    // Fill with neighbours, alternating below and above the run.
    for (let d = 1; S.length < t && (from - d >= 0 || to - 1 + d < rest.length); d++) {
      const below = rest[from - d];
      const above = rest[to - 1 + d];
      if (below !== undefined) add(below);
      if (above !== undefined) add(above);
    }
    out.push(S);
  }
  return out;
}

/** A tile set from the most urgent qubits: those moved by the earliest gates still to run. */
function urgentSet(
  nodes: readonly Node[],
  taken: Uint8Array,
  remaining: readonly number[],
  n: number,
  c: number,
  t: number,
  low: number,
  maxChunkBits: number,
): number[] | undefined {
  const S = Array.from({ length: low }, (_, q) => q);
  const has = new Uint8Array(n);
  for (const q of S) has[q] = 1;
  let chunks = 0;
  let locals = S.length;
  const canAdd = (q: number): boolean => has[q] === 1 || (q >= c ? chunks < maxChunkBits : locals < c);
  const add = (q: number): void => {
    if (has[q]) return;
    has[q] = 1;
    S.push(q);
    if (q >= c) chunks++;
    else locals++;
  };
  // The first ready gate's moved qubits come first, so that a tile can always take it when it fits one.
  const first = nodes.findIndex((_, i) => !taken[i] && remaining[i] === 0);
  const firstMoved = nodes[first]?.moved ?? [];
  const need = firstMoved.filter((q) => !has[q]);
  if (S.length + need.length <= t && need.filter((q) => q >= c).length <= maxChunkBits - chunks) {
    need.forEach(add);
  }
  for (let i = 0; i < nodes.length && S.length < t; i++) {
    if (taken[i]) continue;
    for (const q of nodes[i]?.moved ?? []) if (S.length < t && canAdd(q)) add(q);
  }
  for (let q = 0; q < n && S.length < t; q++) if (canAdd(q)) add(q);
  return S;
}

/** The gates of one tile pass, fused into blocks and split into per-selector matrices on tile bits. */
function tileGates(
  ops: readonly UnitaryOp[],
  S: readonly number[],
  fusion: number,
  diagonalFusion: number,
): TileGate[] {
  const w = Math.min(Math.max(1, fusion), MAX_TILE_GATE_QUBITS);
  const wd = Math.min(Math.max(w, diagonalFusion), MAX_TILE_DIAGONAL_QUBITS);
  const narrow = fusedTileGates(ops, S, w, w);
  if (wd === w) return narrow;
  // Wide diagonal blocks pay where phases dominate (a QFT row) and cost dense folds elsewhere: keep the cheaper.
  const wide = fusedTileGates(ops, S, w, wd);
  return tileCost(wide) < tileCost(narrow) ? wide : narrow;
}

/** Work of a tile pass in complex multiply-adds per amplitude: 2^k for a dense gate on k tile qubits, 1 for a diagonal. */
function tileCost(gates: readonly TileGate[]): number {
  let cost = 0;
  for (const g of gates) cost += g.diagonal ? 1 : 1 << g.positions.length;
  return cost;
}

function fusedTileGates(ops: readonly UnitaryOp[], S: readonly number[], w: number, wd: number): TileGate[] {
  const pos = new Map(S.map((q, j) => [q, j] as const));
  const blocks = w >= 2 || wd >= 2 ? fuseGates(ops, w, wd) : ops.map((op) => ({ kind: 'op' as const, op }));
  return blocks.map((b) => {
    if (b.kind === 'op') {
      const qs = [...b.op.targets, ...b.op.controls].sort((x, y) => x - y);
      return splitBlock(qs, expandGate(b.op, qs), pos, 1);
    }
    if (b.kind === 'diagonal') {
      const dim = 1 << b.qubits.length;
      const m = new Float64Array(2 * dim * dim);
      for (let l = 0; l < dim; l++) {
        m[2 * (l * dim + l)] = b.diagonal[2 * l] ?? 0;
        m[2 * (l * dim + l) + 1] = b.diagonal[2 * l + 1] ?? 0;
      }
      return splitBlock(b.qubits, m, pos, b.gates);
    }
    return splitBlock(b.qubits, b.matrix, pos, b.gates);
  });
}

/**
 * Splits a matrix on qubits Q (bit j ↔ Q[j], block-diagonal in every qubit outside the tile) into one matrix on
 * the tile qubits per value of the outside qubits.
 */
function splitBlock(
  Q: readonly number[],
  full: Float64Array,
  pos: ReadonlyMap<number, number>,
  gates: number,
): TileGate {
  const inIdx = Q.map((q, j) => [q, j] as const).filter(([q]) => pos.has(q));
  const outIdx = Q.map((q, j) => [q, j] as const).filter(([q]) => !pos.has(q));
  // Tile bit order (ascending position) for the inside qubits.
  inIdx.sort((a, b) => (pos.get(a[0]) ?? 0) - (pos.get(b[0]) ?? 0));
  const k = inIdx.length;
  const dim = 1 << k;
  const fdim = 1 << Q.length;
  const sels = 1 << outIdx.length;
  const matrices = new Float64Array(sels * 2 * dim * dim);
  for (let s = 0; s < sels; s++) {
    let sbits = 0;
    outIdx.forEach(([, j], i) => {
      if ((s >> i) & 1) sbits |= 1 << j;
    });
    const full1 = (x: number): number => {
      let f = sbits;
      inIdx.forEach(([, j], i) => {
        if ((x >> i) & 1) f |= 1 << j;
      });
      return f;
    };
    for (let r = 0; r < dim; r++) {
      const fr = full1(r);
      for (let cc = 0; cc < dim; cc++) {
        const fc = full1(cc);
        const at = s * 2 * dim * dim + 2 * (r * dim + cc);
        matrices[at] = full[2 * (fr * fdim + fc)] ?? 0;
        matrices[at + 1] = full[2 * (fr * fdim + fc) + 1] ?? 0;
      }
    }
  }
  return {
    positions: inIdx.map(([q]) => pos.get(q) ?? 0),
    selectors: outIdx.map(([q]) => q),
    matrices,
    gates,
    diagonal: isDiagonalMatrix(full),
  };
}

/** Passes over the state a plan makes (tile passes and single-gate passes alike). */
export function planPassCount(plan: readonly PlannedPass[]): number {
  return plan.length;
}

class MinHeap {
  private readonly a: number[] = [];
  constructor(items: readonly number[]) {
    for (const x of items) this.push(x);
  }
  get size(): number {
    return this.a.length;
  }
  push(x: number): void {
    const a = this.a;
    a.push(x);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if ((a[p] ?? 0) <= x) break;
      a[i] = a[p] ?? 0;
      i = p;
    }
    a[i] = x;
  }
  pop(): number {
    const a = this.a;
    const top = a[0] ?? 0;
    const last = a.pop() ?? 0;
    if (a.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= a.length) break;
        const r = l + 1;
        const m = r < a.length && (a[r] ?? 0) < (a[l] ?? 0) ? r : l;
        if ((a[m] ?? 0) >= last) break;
        a[i] = a[m] ?? 0;
        i = m;
      }
      a[i] = last;
    }
    return top;
  }
}
