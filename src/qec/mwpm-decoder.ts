/**
 * Exact minimum-weight perfect matching decoder with local searches and a dual certificate.
 *
 * The problem: pair up the detection events (or send them to the boundary) at least total path weight. Matching
 * them to the boundary costs b(u) (the precomputed boundary distance); pairing u with v costs their distance
 * d(u, v). Equivalently, a maximum-weight matching on the events with w'(u, v) = b(u) + b(v) − d(u, v); only
 * pairs with w' > 0 can help.
 *
 * Instead of all-pairs shortest paths, each event grows a ball (a Dijkstra search cut at radius r(u) ≤ b(u)); two
 * balls that touch give a candidate pair, and when r(u) + r(v) ≥ d(u, v) the best touching edge gives d(u, v)
 * exactly (some edge of the shortest path joins the two balls). Pairs whose balls do not touch have
 * d(u, v) > r(u) + r(v), so their true w' is below b(u) + b(v) − r(u) − r(v). The blossom returns vertex duals
 * y; the matching is optimal for the complete problem if every missing pair satisfies y(u) + y(v) ≥ w'(u, v),
 * which holds when s(u) + s(v) ≥ 0 with s(u) = y(u) + r(u) − b(u). Events that break this grow their balls and
 * the matching is solved again. Typically one or two rounds suffice and the balls stay small (about half the
 * distance to the nearest partner), which is what makes the decoder local, like the growing regions of
 * sparse blossom (Higgott & Gidney, "Sparse Blossom", Quantum 9, 1600, 2025).
 */
/* eslint-disable @typescript-eslint/no-non-null-assertion -- index arithmetic over typed arrays sized by construction */
import { maxWeightMatching } from './blossom.js';
import type { MatchingGraph } from './matching-graph.js';
import { MinHeap } from './min-heap.js';

export interface DecodeResult {
  /** Predicted observable flips as a bit mask (bit k = observable k). */
  readonly observables: number;
  /** Total weight of the matched paths (ln((1−p)/p) units), negative-weight edges included. */
  readonly weight: number;
  /** False when some detection event cannot be matched (no boundary and no partner in its component). */
  readonly matched: boolean;
}

export interface DecoderStats {
  shots: number;
  /** Matching rounds (a shot needs more than one when the certificate asks for larger balls). */
  rounds: number;
  /** Nodes settled by the ball searches. */
  settled: number;
}

export class MwpmDecoder {
  readonly stats: DecoderStats = { shots: 0, rounds: 0, settled: 0 };
  private readonly g: MatchingGraph;
  private readonly heap = new MinHeap();
  // Per-search scratch, reset lazily by stamps.
  private readonly seenStamp: Int32Array;
  private readonly tent: Float64Array;
  private readonly tentF: Float64Array;
  private readonly tentObs: Int32Array;
  private stamp = 0;
  // Ball entries: for each settled (node, event) pair; listed per node through `entNext`.
  private readonly nodeHead: Int32Array;
  private readonly nodeStamp: Int32Array;
  private nodeRound = 0;
  private entEvent = new Int32Array(1024);
  private entNode = new Int32Array(1024);
  private entDist = new Float64Array(1024);
  private entF = new Float64Array(1024);
  private entObs = new Int32Array(1024);
  private entNext = new Int32Array(1024);
  private entCount = 0;
  private readonly flip: Uint8Array;
  // Candidate pairs of the event being scanned: pairOf[v] is valid when pairStamp[v] = u + 1 + pairBase.
  private pairOf = new Int32Array(0);
  private pairStamp = new Int32Array(0);
  private pairBase = 0;

  constructor(graph: MatchingGraph) {
    this.g = graph;
    const n = graph.numDetectors;
    this.seenStamp = new Int32Array(n);
    this.tent = new Float64Array(n);
    this.tentF = new Float64Array(n);
    this.tentObs = new Int32Array(n);
    this.nodeHead = new Int32Array(n);
    this.nodeStamp = new Int32Array(n);
    this.flip = new Uint8Array(n);
    for (const v of graph.negativeFlips) this.flip[v] = 1;
  }

  /** Decodes one shot given as one byte (0/1) per detector. */
  decode(syndrome: Uint8Array): DecodeResult {
    const g = this.g;
    const events: number[] = [];
    const nd = g.numDetectors;
    for (let v = 0; v < nd; v++) if ((syndrome[v]! ^ this.flip[v]!) & 1) events.push(v);
    return this.decodeEvents(events);
  }

  /** Decodes one shot given as the sorted list of detectors that fired (after negative-weight flips). */
  decodeEvents(events: readonly number[]): DecodeResult {
    const g = this.g;
    this.stats.shots++;
    const n = events.length;
    let obs = g.negativeObservables;
    let weight = g.negativeWeight;
    if (n === 0) return { observables: obs, weight, matched: true };
    if (n === 1) {
      // A lone event can only go to the boundary.
      const v = events[0]!;
      const matched = g.boundaryDistance[v]! < g.big;
      return { observables: obs ^ g.boundaryObservables[v]!, weight: weight + g.boundaryFloat[v]!, matched };
    }
    const b = new Float64Array(n);
    const r = new Float64Array(n);
    const r0 = g.medianWeight;
    for (let u = 0; u < n; u++) {
      b[u] = g.boundaryDistance[events[u]!]!;
      r[u] = Math.min(b[u]!, r0);
    }
    for (;;) {
      this.stats.rounds++;
      this.growBalls(events, r);
      const cand = this.candidates(n);
      // Blossom on the pairs with positive gain.
      const m = cand.u.length;
      const eu = new Int32Array(m);
      const ev = new Int32Array(m);
      const ew = new Float64Array(m);
      const idx = new Int32Array(m);
      let k = 0;
      for (let i = 0; i < m; i++) {
        const u = cand.u[i]!;
        const v = cand.v[i]!;
        const gain = b[u]! + b[v]! - cand.d[i]!;
        if (gain <= 0) continue;
        eu[k] = u;
        ev[k] = v;
        ew[k] = gain;
        idx[k++] = i;
      }
      const { mate, dual } = matchComponents(n, eu, ev, ew, k);
      // Certificate for the pairs that have no exact edge.
      let min1 = Infinity;
      let min2 = Infinity;
      let arg1 = -1;
      const s = new Float64Array(n);
      for (let u = 0; u < n; u++) {
        s[u] = dual[u]! / 2 + r[u]! - b[u]!;
        if (s[u]! < min1) {
          min2 = min1;
          min1 = s[u]!;
          arg1 = u;
        } else if (s[u]! < min2) min2 = s[u]!;
      }
      if (min1 + min2 < 0) {
        let grew = false;
        for (let u = 0; u < n; u++) {
          const other = u === arg1 ? min2 : min1;
          if (s[u]! + other < 0 && r[u]! < b[u]!) {
            r[u] = Math.min(b[u]!, Math.max(b[u]! - dual[u]! / 2, 1.5 * r[u]! + 1));
            grew = true;
          }
        }
        if (grew) continue;
      }
      // Read off the solution.
      const best = new Map<number, number>();
      for (let i = 0; i < k; i++) best.set(eu[i]! * n + ev[i]!, idx[i]!);
      let matched = true;
      for (let u = 0; u < n; u++) {
        const v = mate[u]!;
        if (v < 0) {
          if (b[u]! >= g.big) matched = false;
          obs ^= g.boundaryObservables[events[u]!]!;
          weight += g.boundaryFloat[events[u]!]!;
        } else if (u < v) {
          const i = best.get(u * n + v)!;
          obs ^= cand.obs[i]!;
          weight += cand.f[i]!;
        }
      }
      return { observables: obs, weight, matched };
    }
  }

  /** Dijkstra from each event, cut at its radius; every settled node becomes a ball entry. */
  private growBalls(events: readonly number[], r: Float64Array): void {
    const g = this.g;
    const nd = g.numDetectors;
    const { start, neighbour, weight, floatWeight, observables } = g;
    const heap = this.heap;
    this.entCount = 0;
    this.nodeRound++;
    for (let u = 0; u < events.length; u++) {
      const src = events[u]!;
      const radius = r[u]!;
      const st = ++this.stamp;
      heap.clear();
      this.seenStamp[src] = st;
      this.tent[src] = 0;
      this.tentF[src] = 0;
      this.tentObs[src] = 0;
      heap.push(0, src);
      while (heap.size > 0) {
        const d = heap.topKey();
        const z = heap.pop();
        if (d > this.tent[z]! || this.seenStamp[z] === -st) continue;
        this.seenStamp[z] = -st; // settled
        this.addEntry(u, z, d, this.tentF[z]!, this.tentObs[z]!);
        for (let q = start[z]!; q < start[z + 1]!; q++) {
          const y = neighbour[q]!;
          if (y === nd) continue;
          const nd2 = d + weight[q]!;
          if (nd2 > radius) continue;
          const ys = this.seenStamp[y]!;
          if (ys === -st) continue;
          if (ys !== st || nd2 < this.tent[y]!) {
            this.seenStamp[y] = st;
            this.tent[y] = nd2;
            this.tentF[y] = this.tentF[z]! + floatWeight[q]!;
            this.tentObs[y] = this.tentObs[z]! ^ observables[q]!;
            heap.push(nd2, y);
          }
        }
      }
    }
    this.stats.settled += this.entCount;
  }

  private addEntry(u: number, z: number, d: number, f: number, o: number): void {
    if (this.entCount === this.entEvent.length) this.growEntries();
    const e = this.entCount++;
    this.entEvent[e] = u;
    this.entNode[e] = z;
    this.entDist[e] = d;
    this.entF[e] = f;
    this.entObs[e] = o;
    if (this.nodeStamp[z] !== this.nodeRound) {
      this.nodeStamp[z] = this.nodeRound;
      this.entNext[e] = -1;
    } else this.entNext[e] = this.nodeHead[z]!;
    this.nodeHead[z] = e;
  }

  private growEntries(): void {
    const size = this.entEvent.length * 2;
    const grow = <T extends Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(size);
      b.set(a);
      return b;
    };
    this.entEvent = grow(this.entEvent, (s) => new Int32Array(s));
    this.entNode = grow(this.entNode, (s) => new Int32Array(s));
    this.entDist = grow(this.entDist, (s) => new Float64Array(s));
    this.entF = grow(this.entF, (s) => new Float64Array(s));
    this.entObs = grow(this.entObs, (s) => new Int32Array(s));
    this.entNext = grow(this.entNext, (s) => new Int32Array(s));
  }

  /** The best touching path for each pair of balls (u < v). A ball's entries are contiguous, in event order. */
  private candidates(n: number): { u: number[]; v: number[]; d: number[]; f: number[]; obs: number[] } {
    const g = this.g;
    const nd = g.numDetectors;
    const { start, neighbour, weight, floatWeight, observables } = g;
    const out = { u: [] as number[], v: [] as number[], d: [] as number[], f: [] as number[], obs: [] as number[] };
    if (this.pairOf.length < n) {
      this.pairOf = new Int32Array(2 * n);
      this.pairStamp = new Int32Array(2 * n);
    }
    const pairOf = this.pairOf;
    const pairStamp = this.pairStamp;
    const offer = (u: number, v: number, d: number, f: number, o: number): void => {
      if (pairStamp[v] !== u + 1 + this.pairBase) {
        pairStamp[v] = u + 1 + this.pairBase;
        pairOf[v] = out.u.length;
        out.u.push(u);
        out.v.push(v);
        out.d.push(d);
        out.f.push(f);
        out.obs.push(o);
        return;
      }
      const i = pairOf[v]!;
      if (d < out.d[i]!) {
        out.d[i] = d;
        out.f[i] = f;
        out.obs[i] = o;
      }
    };
    for (let e = 0; e < this.entCount; e++) {
      const u = this.entEvent[e]!;
      const z = this.entNode[e]!;
      const du = this.entDist[e]!;
      // Another ball settled the same node.
      for (let x = this.nodeHead[z]!; x >= 0; x = this.entNext[x]!) {
        const v = this.entEvent[x]!;
        if (v > u) offer(u, v, du + this.entDist[x]!, this.entF[e]! + this.entF[x]!, this.entObs[e]! ^ this.entObs[x]!);
      }
      // An edge from this ball into another.
      for (let q = start[z]!; q < start[z + 1]!; q++) {
        const y = neighbour[q]!;
        if (y === nd || this.nodeStamp[y] !== this.nodeRound) continue;
        for (let x = this.nodeHead[y]!; x >= 0; x = this.entNext[x]!) {
          const v = this.entEvent[x]!;
          if (v <= u) continue;
          offer(
            u,
            v,
            du + weight[q]! + this.entDist[x]!,
            this.entF[e]! + floatWeight[q]! + this.entF[x]!,
            this.entObs[e]! ^ observables[q]! ^ this.entObs[x]!,
          );
        }
      }
    }
    this.pairBase += n + 1;
    if (this.pairBase > 1 << 29) {
      this.pairBase = 0;
      pairStamp.fill(0);
    }
    return out;
  }
}

/**
 * The blossom on each connected component of the candidate graph separately: its cost grows as the cube of the
 * component, and the events of a shot mostly fall into many small clusters.
 */
function matchComponents(
  n: number,
  eu: Int32Array,
  ev: Int32Array,
  ew: Float64Array,
  m: number,
): { mate: Int32Array; dual: Float64Array } {
  const parent = new Int32Array(n);
  for (let v = 0; v < n; v++) parent[v] = v;
  const find = (v: number): number => {
    while (parent[v] !== v) {
      parent[v] = parent[parent[v]!]!;
      v = parent[v]!;
    }
    return v;
  };
  for (let k = 0; k < m; k++) {
    const a = find(eu[k]!);
    const b = find(ev[k]!);
    if (a !== b) parent[a] = b;
  }
  const mate = new Int32Array(n).fill(-1);
  const dual = new Float64Array(n);
  // Local numbering per component.
  const root = new Int32Array(n);
  const local = new Int32Array(n);
  const size = new Int32Array(n);
  for (let v = 0; v < n; v++) {
    root[v] = find(v);
    local[v] = size[root[v]!]!++;
  }
  const edgeCount = new Int32Array(n);
  for (let k = 0; k < m; k++) edgeCount[root[eu[k]!]!]!++;
  const members = new Map<number, number[]>();
  for (let v = 0; v < n; v++) {
    if (edgeCount[root[v]!] === 0) continue;
    const list = members.get(root[v]!);
    if (list) list.push(v);
    else members.set(root[v]!, [v]);
  }
  const edgesOf = new Map<number, number[]>();
  for (let k = 0; k < m; k++) {
    const r = root[eu[k]!]!;
    const list = edgesOf.get(r);
    if (list) list.push(k);
    else edgesOf.set(r, [k]);
  }
  for (const [r, vs] of members) {
    const ks = edgesOf.get(r)!;
    const cu = new Int32Array(ks.length);
    const cv = new Int32Array(ks.length);
    const cw = new Float64Array(ks.length);
    ks.forEach((k, i) => {
      cu[i] = local[eu[k]!]!;
      cv[i] = local[ev[k]!]!;
      cw[i] = ew[k]!;
    });
    const res = maxWeightMatching(vs.length, cu, cv, cw, ks.length);
    for (let i = 0; i < vs.length; i++) {
      const v = vs[i]!;
      const mt = res.mate[i]!;
      mate[v] = mt < 0 ? -1 : vs[mt]!;
      dual[v] = res.dual[i]!;
    }
  }
  return { mate, dual };
}
