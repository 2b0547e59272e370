/**
 * The DEM reader's diagnostics (every bad input is a line-numbered diagnostic, never a throw), and differential
 * tests of the matching: the blossom against brute force on small random graphs, and the decoder against brute
 * force over every subset of boundary/pair choices on small random detector graphs.
 */
/* eslint-disable @typescript-eslint/no-non-null-assertion -- test code reads arrays whose shape it asserted. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildMatchingGraph, maxWeightMatching, MwpmDecoder, parseDem, readShots } from '../../src/qec/index.js';
import { unwrap } from './helpers.js';

function codes(text: string): string[] {
  const r = parseDem(text);
  assert.equal(r.ok, false, `expected diagnostics for ${JSON.stringify(text)}`);
  return r.ok ? [] : r.diagnostics.map((d) => `${d.line}:${d.code}`);
}

test('DEM text: repeat, shift_detectors and coordinates unroll to absolute detectors', () => {
  const dem = unwrap(
    parseDem(
      'error(0.1) D0 L0\nrepeat 3 {\n  error(0.2) D0 D1 ^ D1\n  detector(1, 2, 0) D0\n  shift_detectors(0, 0, 1) 1\n}\nlogical_observable L0\n',
    ),
  );
  assert.equal(dem.numDetectors, 4);
  assert.equal(dem.numObservables, 1);
  assert.equal(dem.errors.length, 4);
  assert.deepEqual(dem.errors[3]!.components[0]!.detectors, [2, 3]);
  assert.deepEqual(dem.errors[3]!.components[1]!.detectors, [3]);
  assert.deepEqual(dem.detectorCoords.get(2), [1, 2, 2]);
});

test('DEM text: bad input is a diagnostic with its line', () => {
  assert.deepEqual(codes('error(0.1) D0\nfoo D1\n'), ['2:unknown_instruction']);
  assert.deepEqual(codes('error(1.5) D0\n'), ['1:bad_probability']);
  assert.deepEqual(codes('error(0.1) D0 X3\n'), ['1:bad_target']);
  assert.deepEqual(codes('repeat 2 {\nerror(0.1) D0\n'), ['1:unclosed_repeat']);
  assert.deepEqual(codes('}\n'), ['1:unmatched_brace']);
  assert.deepEqual(codes('error(abc) D0\n'), ['1:bad_argument']);
  assert.deepEqual(codes('error(0.1) L40\n'), ['1:too_many_observables']);
  assert.deepEqual(codes('error(0.1) D99999999999\n'), ['1:too_large']);
  // A billion unrolled lines stop at the limit instead of exhausting memory.
  const huge = codes('repeat 100000 {\nrepeat 100000 {\nshift_detectors 0\n}\n}\n');
  assert.ok(huge[0]?.endsWith('too_large'), huge.join());
  const deep = codes('repeat 1 {\n'.repeat(200));
  assert.ok(deep.some((c) => c.endsWith('too_deep')));
  const g = buildMatchingGraph(unwrap(parseDem('error(0.1) D0\nerror(0.1) D0 D1 D2\n')));
  assert.equal(g.ok, false);
  if (!g.ok) assert.equal(`${g.diagnostics[0]!.line}:${g.diagnostics[0]!.code}`, '2:not_graphlike');
});

test('syndrome files of the wrong length are diagnostics', () => {
  const r = readShots(new Uint8Array(5), 'b8', 20);
  assert.equal(r.ok, false);
  const t = readShots(new TextEncoder().encode('0101\n011\n01x1\n'), '01', 4);
  assert.equal(t.ok, false);
  if (!t.ok)
    assert.deepEqual(
      t.diagnostics.map((d) => `${d.line}:${d.column}:${d.code}`),
      ['2:1:wrong_length', '3:3:bad_character'],
    );
});

/** A small deterministic generator (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function bruteMaxWeight(n: number, edges: [number, number, number][]): number {
  const memo = new Map<number, number>();
  const go = (used: number): number => {
    let v = 0;
    while (v < n && used & (1 << v)) v++;
    if (v >= n) return 0;
    const key = used;
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    let best = go(used | (1 << v)); // v unmatched
    for (const [a, b, w] of edges) {
      const o = a === v ? b : b === v ? a : -1;
      if (o >= 0 && !(used & (1 << o))) best = Math.max(best, w + go(used | (1 << v) | (1 << o)));
    }
    memo.set(key, best);
    return best;
  };
  return go(0);
}

test('blossom: maximum weight equals brute force on 300 random graphs', () => {
  const rand = rng(17);
  for (let t = 0; t < 300; t++) {
    const n = 2 + Math.floor(rand() * 11);
    const edges: [number, number, number][] = [];
    for (let a = 0; a < n; a++)
      for (let b = a + 1; b < n; b++) if (rand() < 0.45) edges.push([a, b, 1 + Math.floor(rand() * 20)]);
    const r = maxWeightMatching(
      n,
      Int32Array.from(edges.map((e) => e[0])),
      Int32Array.from(edges.map((e) => e[1])),
      Float64Array.from(edges.map((e) => e[2])),
      edges.length,
    );
    let total = 0;
    for (const [a, b, w] of edges) if (r.mate[a] === b) total += w;
    for (let v = 0; v < n; v++) if (r.mate[v]! >= 0) assert.equal(r.mate[r.mate[v]!], v);
    assert.equal(total, bruteMaxWeight(n, edges), `graph ${t}`);
  }
});

test('decoder: solution weight equals brute-force minimum over all corrections on random small graphs', () => {
  const rand = rng(5);
  let checked = 0;
  for (let t = 0; t < 120; t++) {
    // A random graph of up to 10 detectors with boundary edges, each edge a random error mechanism.
    const nd = 3 + Math.floor(rand() * 5);
    const lines: string[] = [];
    const errs: { dets: number[]; p: number; obs: number }[] = [];
    for (let a = 0; a < nd; a++) {
      for (let b = a; b <= nd; b++) {
        if (b === a || rand() > 0.5) continue;
        const p = 0.01 + rand() * 0.3;
        const dets = b === nd ? [a] : [a, b];
        const obs = rand() < 0.3 ? 1 : 0;
        errs.push({ dets, p, obs });
        lines.push(`error(${p}) ${dets.map((d) => `D${d}`).join(' ')}${obs ? ' L0' : ''}`);
      }
    }
    if (errs.length > 14) continue; // keep the brute force at most 2^14 subsets
    lines.push(`detector D${nd - 1}`);
    const graph = unwrap(buildMatchingGraph(unwrap(parseDem(lines.join('\n')))));
    const decoder = new MwpmDecoder(graph);
    const m = errs.length;
    for (let shot = 0; shot < 8; shot++) {
      const syn = new Uint8Array(nd);
      for (let d = 0; d < nd; d++) syn[d] = rand() < 0.35 ? 1 : 0;
      // Brute force: the lightest set of error mechanisms with exactly this syndrome.
      let best = Infinity;
      for (let mask = 0; mask < 1 << m; mask++) {
        const s = new Uint8Array(nd);
        let w = 0;
        for (let i = 0; i < m; i++) {
          if (!(mask & (1 << i))) continue;
          const e = errs[i]!;
          for (const d of e.dets) s[d]! ^= 1;
          w += Math.log((1 - e.p) / e.p);
        }
        if (s.every((x, i) => x === syn[i])) best = Math.min(best, w);
      }
      const r = decoder.decode(syn);
      checked++;
      if (best === Infinity) assert.equal(r.matched, false);
      else assert.ok(Math.abs(r.weight - best) < 1e-6, `graph ${t} shot ${shot}: ${r.weight} vs ${best}`);
    }
  }
  assert.ok(checked >= 400, `only ${checked} shots were checked`);
});
