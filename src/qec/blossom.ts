/**
 * Maximum-weight matching in a general graph: Edmonds' blossom algorithm in its primal-dual form (Galil, "Efficient
 * algorithms for finding maximum matching in graphs", ACM Computing Surveys 1986; the stage/substage structure
 * follows Van Rantwijk's well-known formulation). O(n³) worst case; on the sparse graphs of detection events the
 * decoder builds it is far below that.
 *
 * Invariants: `dual[v]` holds twice the vertex dual u_v, and a blossom's `dual[b]` holds z_b; for every edge
 * k = (i, j) between different top-level blossoms, slack(k) = dual[i] + dual[j] − 2·w_k ≥ 0. With integer
 * weights every quantity stays an integer, so comparisons are exact (the decoder discretises its weights for this).
 * The final vertex duals are returned: the decoder uses them as an optimality certificate for edges it never built.
 */
/* eslint-disable @typescript-eslint/no-non-null-assertion -- index arithmetic over arrays sized by construction */

export interface Matching {
  /** mate[v] = the vertex matched to v, or −1. */
  readonly mate: Int32Array;
  /** Twice each vertex's dual variable at the optimum (≥ 0; 0 for an unmatched vertex). */
  readonly dual: Float64Array;
}

/** Maximum-weight (not necessarily perfect) matching of `n` vertices and the edges (eu[k], ev[k], ew[k]). */
export function maxWeightMatching(n: number, eu: Int32Array, ev: Int32Array, ew: Float64Array, m: number): Matching {
  const mateV = new Int32Array(n).fill(-1);
  if (n === 0 || m === 0) return { mate: mateV, dual: new Float64Array(n) };
  let maxW = 0;
  for (let k = 0; k < m; k++) maxW = Math.max(maxW, ew[k]!);
  // endpoint[2k] = eu[k], endpoint[2k+1] = ev[k]; p ^ 1 is the other end of the same edge.
  const endpoint = new Int32Array(2 * m);
  const degree = new Int32Array(n + 1);
  for (let k = 0; k < m; k++) {
    endpoint[2 * k] = eu[k]!;
    endpoint[2 * k + 1] = ev[k]!;
    degree[eu[k]!]!++;
    degree[ev[k]!]!++;
  }
  // neighbend (CSR): for vertex v, the remote endpoints p of its edges.
  const nbStart = new Int32Array(n + 1);
  for (let v = 0; v < n; v++) nbStart[v + 1] = nbStart[v]! + degree[v]!;
  const nbFill = nbStart.slice(0, n);
  const neighbend = new Int32Array(2 * m);
  for (let k = 0; k < m; k++) {
    neighbend[nbFill[eu[k]!]!++] = 2 * k + 1;
    neighbend[nbFill[ev[k]!]!++] = 2 * k;
  }
  const N2 = 2 * n;
  const mate = new Int32Array(n).fill(-1); // remote endpoint of the matched edge
  const label = new Int32Array(N2);
  const labelend = new Int32Array(N2).fill(-1);
  const inblossom = new Int32Array(n);
  for (let v = 0; v < n; v++) inblossom[v] = v;
  const blossomparent = new Int32Array(N2).fill(-1);
  const blossomchilds: (number[] | null)[] = new Array<number[] | null>(N2).fill(null);
  const blossombase = new Int32Array(N2).fill(-1);
  for (let v = 0; v < n; v++) blossombase[v] = v;
  const blossomendps: (number[] | null)[] = new Array<number[] | null>(N2).fill(null);
  const bestedge = new Int32Array(N2).fill(-1);
  const blossombestedges: (number[] | null)[] = new Array<number[] | null>(N2).fill(null);
  const unused: number[] = [];
  for (let b = N2 - 1; b >= n; b--) unused.push(b);
  const dual = new Float64Array(N2);
  for (let v = 0; v < n; v++) dual[v] = maxW;
  const allowedge = new Uint8Array(m);
  let queue: number[] = [];

  const slack = (k: number): number => dual[endpoint[2 * k]!]! + dual[endpoint[2 * k + 1]!]! - 2 * ew[k]!;
  const at = (arr: number[], j: number): number => arr[((j % arr.length) + arr.length) % arr.length]!;

  const leaves = (b: number, out: number[]): number[] => {
    if (b < n) out.push(b);
    else for (const c of blossomchilds[b]!) leaves(c, out);
    return out;
  };

  const assignLabel = (w: number, t: number, p: number): void => {
    for (;;) {
      const b = inblossom[w]!;
      label[w] = label[b] = t;
      labelend[w] = labelend[b] = p;
      bestedge[w] = bestedge[b] = -1;
      if (t === 1) {
        leaves(b, queue);
        return;
      }
      // t === 2: the base of a T-blossom is matched; its mate becomes an S-vertex.
      const base = blossombase[b]!;
      const mb = mate[base]!;
      w = endpoint[mb]!;
      t = 1;
      p = mb ^ 1;
    }
  };

  const scanBlossom = (v0: number, w0: number): number => {
    const path: number[] = [];
    let base = -1;
    let v = v0;
    let w = w0;
    while (v !== -1 || w !== -1) {
      let b = inblossom[v]!;
      if (label[b]! & 4) {
        base = blossombase[b]!;
        break;
      }
      path.push(b);
      label[b] = 5;
      if (labelend[b] === -1) v = -1;
      else {
        v = endpoint[labelend[b]!]!;
        b = inblossom[v]!;
        v = endpoint[labelend[b]!]!;
      }
      if (w !== -1) {
        const t = v;
        v = w;
        w = t;
      }
    }
    for (const b of path) label[b] = 1;
    return base;
  };

  const addBlossom = (base: number, k: number): void => {
    let v = endpoint[2 * k]!;
    let w = endpoint[2 * k + 1]!;
    const bb = inblossom[base]!;
    let bv = inblossom[v]!;
    let bw = inblossom[w]!;
    const b = unused.pop()!;
    blossombase[b] = base;
    blossomparent[b] = -1;
    blossomparent[bb] = b;
    const path: number[] = [];
    const endps: number[] = [];
    while (bv !== bb) {
      blossomparent[bv] = b;
      path.push(bv);
      endps.push(labelend[bv]!);
      v = endpoint[labelend[bv]!]!;
      bv = inblossom[v]!;
    }
    path.push(bb);
    path.reverse();
    endps.reverse();
    endps.push(2 * k);
    while (bw !== bb) {
      blossomparent[bw] = b;
      path.push(bw);
      endps.push(labelend[bw]! ^ 1);
      w = endpoint[labelend[bw]!]!;
      bw = inblossom[w]!;
    }
    blossomchilds[b] = path;
    blossomendps[b] = endps;
    label[b] = 1;
    labelend[b] = labelend[bb]!;
    dual[b] = 0;
    for (const x of leaves(b, [])) {
      if (label[inblossom[x]!] === 2) queue.push(x);
      inblossom[x] = b;
    }
    // Least-slack edges from the new blossom to each neighbouring S-blossom.
    const bestTo = new Map<number, number>();
    for (const c of path) {
      const lists: number[][] = [];
      if (blossombestedges[c] === null) {
        for (const x of leaves(c, [])) {
          const ks: number[] = [];
          for (let q = nbStart[x]!; q < nbStart[x + 1]!; q++) ks.push(neighbend[q]! >> 1);
          lists.push(ks);
        }
      } else lists.push(blossombestedges[c]!);
      for (const ks of lists) {
        for (const kk of ks) {
          let j = endpoint[2 * kk + 1]!;
          if (inblossom[j] === b) j = endpoint[2 * kk]!;
          const bj = inblossom[j]!;
          if (bj !== b && label[bj] === 1) {
            const cur = bestTo.get(bj);
            if (cur === undefined || slack(kk) < slack(cur)) bestTo.set(bj, kk);
          }
        }
      }
      blossombestedges[c] = null;
      bestedge[c] = -1;
    }
    const best = [...bestTo.values()];
    blossombestedges[b] = best;
    let be = -1;
    for (const kk of best) if (be === -1 || slack(kk) < slack(be)) be = kk;
    bestedge[b] = be;
  };

  const expandBlossom = (b: number, endstage: boolean): void => {
    const childs = blossomchilds[b]!;
    for (const s of childs) {
      blossomparent[s] = -1;
      if (s < n) inblossom[s] = s;
      else if (endstage && dual[s] === 0) expandBlossom(s, endstage);
      else for (const x of leaves(s, [])) inblossom[x] = s;
    }
    if (!endstage && label[b] === 2) {
      const endps = blossomendps[b]!;
      const entrychild = inblossom[endpoint[labelend[b]! ^ 1]!]!;
      let j = childs.indexOf(entrychild);
      let jstep: number;
      let endptrick: number;
      if (j & 1) {
        j -= childs.length;
        jstep = 1;
        endptrick = 0;
      } else {
        jstep = -1;
        endptrick = 1;
      }
      let p = labelend[b]!;
      while (j !== 0) {
        label[endpoint[p ^ 1]!] = 0;
        label[endpoint[at(endps, j - endptrick) ^ endptrick ^ 1]!] = 0;
        assignLabel(endpoint[p ^ 1]!, 2, p);
        allowedge[at(endps, j - endptrick) >> 1] = 1;
        j += jstep;
        p = at(endps, j - endptrick) ^ endptrick;
        allowedge[p >> 1] = 1;
        j += jstep;
      }
      const bv = at(childs, j);
      label[endpoint[p ^ 1]!] = label[bv] = 2;
      labelend[endpoint[p ^ 1]!] = labelend[bv] = p;
      bestedge[bv] = -1;
      j += jstep;
      while (at(childs, j) !== entrychild) {
        const c = at(childs, j);
        if (label[c] === 1) {
          j += jstep;
          continue;
        }
        let found = -1;
        for (const x of leaves(c, [])) {
          if (label[x] !== 0) {
            found = x;
            break;
          }
        }
        if (found >= 0) {
          label[found] = 0;
          label[endpoint[mate[blossombase[c]!]!]!] = 0;
          assignLabel(found, 2, labelend[found]!);
        }
        j += jstep;
      }
    }
    label[b] = labelend[b] = -1;
    blossomchilds[b] = blossomendps[b] = null;
    blossombase[b] = -1;
    blossombestedges[b] = null;
    bestedge[b] = -1;
    unused.push(b);
  };

  const augmentBlossom = (b: number, v: number): void => {
    let t = v;
    while (blossomparent[t] !== b) t = blossomparent[t]!;
    if (t >= n) augmentBlossom(t, v);
    const childs = blossomchilds[b]!;
    const endps = blossomendps[b]!;
    const i = childs.indexOf(t);
    let j = i;
    let jstep: number;
    let endptrick: number;
    if (i & 1) {
      j -= childs.length;
      jstep = 1;
      endptrick = 0;
    } else {
      jstep = -1;
      endptrick = 1;
    }
    while (j !== 0) {
      j += jstep;
      t = at(childs, j);
      const p = at(endps, j - endptrick) ^ endptrick;
      if (t >= n) augmentBlossom(t, endpoint[p]!);
      j += jstep;
      t = at(childs, j);
      if (t >= n) augmentBlossom(t, endpoint[p ^ 1]!);
      mate[endpoint[p]!] = p ^ 1;
      mate[endpoint[p ^ 1]!] = p;
    }
    blossomchilds[b] = childs.slice(i).concat(childs.slice(0, i));
    blossomendps[b] = endps.slice(i).concat(endps.slice(0, i));
    blossombase[b] = blossombase[blossomchilds[b]![0]!]!;
  };

  const augmentMatching = (k: number): void => {
    const ends: [number, number][] = [
      [endpoint[2 * k]!, 2 * k + 1],
      [endpoint[2 * k + 1]!, 2 * k],
    ];
    for (const [s0, p0] of ends) {
      let s = s0;
      let p = p0;
      for (;;) {
        const bs = inblossom[s]!;
        if (bs >= n) augmentBlossom(bs, s);
        mate[s] = p;
        if (labelend[bs] === -1) break;
        const t = endpoint[labelend[bs]!]!;
        const bt = inblossom[t]!;
        s = endpoint[labelend[bt]!]!;
        const j = endpoint[labelend[bt]! ^ 1]!;
        if (bt >= n) augmentBlossom(bt, j);
        mate[j] = labelend[bt]!;
        p = labelend[bt]! ^ 1;
      }
    }
  };

  for (let stage = 0; stage < n; stage++) {
    label.fill(0);
    bestedge.fill(-1);
    for (let b = n; b < N2; b++) blossombestedges[b] = null;
    allowedge.fill(0);
    queue = [];
    for (let v = 0; v < n; v++) if (mate[v] === -1 && label[inblossom[v]!] === 0) assignLabel(v, 1, -1);
    let augmented = false;
    for (;;) {
      while (queue.length > 0 && !augmented) {
        const v = queue.pop()!;
        for (let q = nbStart[v]!; q < nbStart[v + 1]!; q++) {
          const p = neighbend[q]!;
          const k = p >> 1;
          const w = endpoint[p]!;
          if (inblossom[v] === inblossom[w]) continue;
          let kslack = 0;
          if (!allowedge[k]) {
            kslack = slack(k);
            if (kslack <= 0) allowedge[k] = 1;
          }
          if (allowedge[k]) {
            if (label[inblossom[w]!] === 0) assignLabel(w, 2, p ^ 1);
            else if (label[inblossom[w]!] === 1) {
              const base = scanBlossom(v, w);
              if (base >= 0) addBlossom(base, k);
              else {
                augmentMatching(k);
                augmented = true;
                break;
              }
            } else if (label[w] === 0) {
              label[w] = 2;
              labelend[w] = p ^ 1;
            }
          } else if (label[inblossom[w]!] === 1) {
            const b = inblossom[v]!;
            if (bestedge[b] === -1 || kslack < slack(bestedge[b]!)) bestedge[b] = k;
          } else if (label[w] === 0) {
            if (bestedge[w] === -1 || kslack < slack(bestedge[w]!)) bestedge[w] = k;
          }
        }
      }
      if (augmented) break;
      // No augmenting path with tight edges: change the duals by the largest step that keeps them feasible.
      let deltatype = 1;
      let delta = Infinity;
      for (let v = 0; v < n; v++) delta = Math.min(delta, dual[v]!);
      let deltaedge = -1;
      let deltablossom = -1;
      for (let v = 0; v < n; v++) {
        if (label[inblossom[v]!] === 0 && bestedge[v] !== -1) {
          const d = slack(bestedge[v]!);
          if (d < delta) {
            delta = d;
            deltatype = 2;
            deltaedge = bestedge[v]!;
          }
        }
      }
      for (let b = 0; b < N2; b++) {
        if (blossomparent[b] === -1 && label[b] === 1 && bestedge[b] !== -1) {
          const d = slack(bestedge[b]!) / 2;
          if (d < delta) {
            delta = d;
            deltatype = 3;
            deltaedge = bestedge[b]!;
          }
        }
      }
      for (let b = n; b < N2; b++) {
        if (blossombase[b]! >= 0 && blossomparent[b] === -1 && label[b] === 2 && dual[b]! < delta) {
          delta = dual[b]!;
          deltatype = 4;
          deltablossom = b;
        }
      }
      for (let v = 0; v < n; v++) {
        const l = label[inblossom[v]!];
        if (l === 1) dual[v] = dual[v]! - delta;
        else if (l === 2) dual[v] = dual[v]! + delta;
      }
      for (let b = n; b < N2; b++) {
        if (blossombase[b]! >= 0 && blossomparent[b] === -1) {
          if (label[b] === 1) dual[b] = dual[b]! + delta;
          else if (label[b] === 2) dual[b] = dual[b]! - delta;
        }
      }
      if (deltatype === 1) break;
      if (deltatype === 2) {
        allowedge[deltaedge] = 1;
        let i = endpoint[2 * deltaedge]!;
        if (label[inblossom[i]!] === 0) i = endpoint[2 * deltaedge + 1]!;
        queue.push(i);
      } else if (deltatype === 3) {
        allowedge[deltaedge] = 1;
        queue.push(endpoint[2 * deltaedge]!);
      } else expandBlossom(deltablossom, false);
    }
    if (!augmented) break;
    for (let b = n; b < N2; b++) {
      if (blossomparent[b] === -1 && blossombase[b]! >= 0 && label[b] === 1 && dual[b] === 0) expandBlossom(b, true);
    }
  }
  for (let v = 0; v < n; v++) if (mate[v]! >= 0) mateV[v] = endpoint[mate[v]!]!;
  return { mate: mateV, dual: dual.slice(0, n) };
}
