/**
 * The detector graph a matching decoder works on, built from a detector error model: one node per detector and a
 * virtual boundary node; each graph-like error component (one or two detectors) is an edge. Parallel edges merge
 * as independent errors (p = p₁(1−p₂) + p₂(1−p₁)); weights are ln((1−p)/p).
 *
 * Like PyMatching v2, the search runs on integer weights: |w| scaled so that sums stay far below 2⁵³, which keeps
 * every comparison in the decoder and the blossom exact. Edges with p > ½ have negative weight; they are handled by
 * the usual change of variables: the edge is assumed to have fired (its detectors are flipped in every syndrome,
 * its observables in every prediction, its weight added to every solution) and matching runs with |w|.
 */
/* eslint-disable @typescript-eslint/no-non-null-assertion -- CSR index arithmetic, in range by construction */
import type { Diagnostic } from '../shared/diagnostic.js';
import type { DetectorErrorModel } from './dem.js';
import { fail, ok, qecDiagnostic } from './diagnostics.js';
import type { QecResult } from './diagnostics.js';
import { MinHeap } from './min-heap.js';

export interface MatchingGraph {
  readonly numDetectors: number;
  readonly numObservables: number;
  /** CSR adjacency of the detectors; a neighbour equal to `numDetectors` is the boundary. */
  readonly start: Int32Array;
  readonly neighbour: Int32Array;
  /** Discretised |weight| of each half-edge (integers). */
  readonly weight: Float64Array;
  /** The |weight| before discretisation. */
  readonly floatWeight: Float64Array;
  /** Observables flipped by the edge, as a bit mask. */
  readonly observables: Int32Array;
  /** Shortest discretised distance from each detector to the boundary, `big` where none is reachable. */
  readonly boundaryDistance: Float64Array;
  readonly boundaryFloat: Float64Array;
  readonly boundaryObservables: Int32Array;
  /** A stand-in for an infinite boundary distance: larger than twice the sum of all weights. */
  readonly big: number;
  /** Detectors flipped by the negative-weight edges (odd count), their observables and their total weight. */
  readonly negativeFlips: Int32Array;
  readonly negativeObservables: number;
  readonly negativeWeight: number;
  /** The median discretised edge weight (the decoder's first search radius scales with it). */
  readonly medianWeight: number;
  /** The number of distinct edges (after merging). */
  readonly numEdges: number;
}

interface Edge {
  a: number;
  b: number;
  p: number;
  obs: number;
}

const INT_LIMIT = 2 ** 46;

/** Builds the matching graph; an error component with more than two detectors is a diagnostic (not graph-like). */
export function buildMatchingGraph(dem: DetectorErrorModel): QecResult<MatchingGraph> {
  const diags: Diagnostic[] = [];
  const nd = dem.numDetectors;
  const edges = new Map<number, Edge>();
  for (const e of dem.errors) {
    if (e.probability === 0) continue;
    for (const c of e.components) {
      // A detector listed twice in one component cancels (symptoms are XORed).
      const dets = xorSet(c.detectors);
      if (dets.length === 0) continue;
      if (dets.length > 2) {
        if (diags.length < 20)
          diags.push(
            qecDiagnostic(
              'dem',
              'not_graphlike',
              `this error flips ${dets.length} detectors (${dets
                .slice(0, 6)
                .map((d) => `D${d}`)
                .join(' ')}); matching needs at most 2 per component: decompose it with '^' (stim --decompose_errors)`,
              e.line,
            ),
          );
        continue;
      }
      let obs = 0;
      for (const o of c.observables) obs ^= 1 << o;
      const a = dets[0]!;
      const b = dets.length === 2 ? dets[1]! : nd;
      const lo = Math.min(a, b);
      const hi = Math.max(a, b);
      const key = lo * (nd + 1) + hi;
      const old = edges.get(key);
      if (old) old.p = old.p * (1 - e.probability) + e.probability * (1 - old.p);
      else edges.set(key, { a: lo, b: hi, p: e.probability, obs });
    }
  }
  if (diags.length > 0) return fail(diags);

  // Weights, negative-weight edges, discretisation.
  const list = [...edges.values()].filter((e) => e.p > 0);
  const fw = list.map((e) => Math.log((1 - e.p) / e.p));
  const negCount = new Int32Array(nd + 1);
  let negObs = 0;
  let negWeight = 0;
  let sumAbs = 0;
  let maxAbs = 0;
  for (let i = 0; i < list.length; i++) {
    let w = fw[i]!;
    if (w === -Infinity) w = -Math.log(2 ** 52); // p = 1: the edge certainly fired.
    fw[i] = w;
    if (w < 0) {
      const e = list[i]!;
      negCount[e.a]!++;
      negCount[e.b]!++;
      negObs ^= e.obs;
      negWeight += w;
    }
    sumAbs += Math.abs(w);
    maxAbs = Math.max(maxAbs, Math.abs(w));
  }
  const scale = maxAbs === 0 ? 1 : Math.min(2 ** 30 / maxAbs, INT_LIMIT / Math.max(sumAbs, 1e-300));
  const iw = fw.map((w) => Math.round(Math.abs(w) * scale));
  let sumInt = 0;
  for (const w of iw) sumInt += w;
  const big = 2 * sumInt + 1;

  const degree = new Int32Array(nd + 1);
  for (const e of list) {
    degree[e.a]!++;
    if (e.b < nd) degree[e.b]!++;
  }
  const start = new Int32Array(nd + 1);
  for (let v = 0; v < nd; v++) start[v + 1] = start[v]! + degree[v]!;
  const fill = start.slice(0, nd);
  const m2 = start[nd]!;
  const neighbour = new Int32Array(m2);
  const weight = new Float64Array(m2);
  const floatWeight = new Float64Array(m2);
  const observables = new Int32Array(m2);
  const put = (from: number, to: number, i: number, obs: number): void => {
    const q = fill[from]!++;
    neighbour[q] = to;
    weight[q] = iw[i]!;
    floatWeight[q] = Math.abs(fw[i]!);
    observables[q] = obs;
  };
  for (let i = 0; i < list.length; i++) {
    const e = list[i]!;
    put(e.a, e.b, i, e.obs);
    if (e.b < nd) put(e.b, e.a, i, e.obs);
  }
  const negativeFlips: number[] = [];
  for (let v = 0; v < nd; v++) if (negCount[v]! & 1) negativeFlips.push(v);

  // Distances to the boundary: one Dijkstra from the boundary over the (undirected) graph.
  const bd = new Float64Array(nd).fill(big);
  const bf = new Float64Array(nd);
  const bo = new Int32Array(nd);
  const done = new Uint8Array(nd);
  const heap = new MinHeap();
  for (let v = 0; v < nd; v++) {
    for (let q = start[v]!; q < start[v + 1]!; q++) {
      if (neighbour[q] === nd && weight[q]! < bd[v]!) {
        bd[v] = weight[q]!;
        bf[v] = floatWeight[q]!;
        bo[v] = observables[q]!;
      }
    }
    if (bd[v]! < big) heap.push(bd[v]!, v);
  }
  while (heap.size > 0) {
    const d = heap.topKey();
    const v = heap.pop();
    if (done[v] || d > bd[v]!) continue;
    done[v] = 1;
    for (let q = start[v]!; q < start[v + 1]!; q++) {
      const u = neighbour[q]!;
      if (u === nd) continue;
      const nd2 = d + weight[q]!;
      if (nd2 < bd[u]!) {
        bd[u] = nd2;
        bf[u] = bf[v]! + floatWeight[q]!;
        bo[u] = bo[v]! ^ observables[q]!;
        heap.push(nd2, u);
      }
    }
  }
  const sorted = iw.slice().sort((x, y) => x - y);
  return ok({
    numDetectors: nd,
    numObservables: dem.numObservables,
    start,
    neighbour,
    weight,
    floatWeight,
    observables,
    boundaryDistance: bd,
    boundaryFloat: bf,
    boundaryObservables: bo,
    big,
    negativeFlips: Int32Array.from(negativeFlips),
    negativeObservables: negObs,
    negativeWeight: negWeight,
    medianWeight: sorted.length === 0 ? 1 : Math.max(1, sorted[sorted.length >> 1]!),
    numEdges: list.length,
  });
}

/** The detectors that appear an odd number of times, sorted. */
function xorSet(ids: readonly number[]): number[] {
  if (ids.length <= 1) return ids.slice();
  if (ids.length === 2) return ids[0] === ids[1] ? [] : ids.slice();
  const count = new Map<number, number>();
  for (const d of ids) count.set(d, (count.get(d) ?? 0) ^ 1);
  return [...count]
    .filter(([, c]) => c === 1)
    .map(([d]) => d)
    .sort((a, b) => a - b);
}
