// The pass planner without a GPU: a plan applied on the CPU in complex128 must equal the circuit's state vector,
// every tile must respect the tile limits, and the depth-20 random circuits must fit the pass budget.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Circuit, UnitaryOp } from '../../src/quantum/index.js';
import {
  CircuitBuilder,
  createStateVectorSimulator,
  diagonalMatrix,
  expandGate,
  Rng,
  uMatrix,
} from '../../src/quantum/index.js';
import {
  coverSets,
  MAX_TILE_GATE_QUBITS,
  MAX_TILE_SELECTORS,
  planPasses,
  tileWidth,
  type PassPlanOptions,
  type PlannedPass,
} from '../../src/quantum-gpu/gpu-pass-plan.js';
import { ghz, qft, randomCircuit } from '../../src/quantum-gpu/random-circuits.js';
import { TILE_LOW_QUBITS, TILE_QUBITS } from '../../src/quantum-gpu/wgsl-kernels.js';

const unitaries = (c: Circuit): UnitaryOp[] => c.ops.filter((o): o is UnitaryOp => o.type === 'unitary');

/** Applies a dense matrix on `qubits` (bit j ↔ qubits[j]) to a complex128 state. */
function applyDense(re: Float64Array, im: Float64Array, qubits: readonly number[], m: Float64Array): void {
  const k = qubits.length;
  const dim = 1 << k;
  const mask = qubits.reduce((a, q) => a | (1 << q), 0);
  const ar = new Float64Array(dim);
  const ai = new Float64Array(dim);
  const idx = new Array<number>(dim);
  for (let base = 0; base < re.length; base++) {
    if ((base & mask) !== 0) continue;
    for (let x = 0; x < dim; x++) {
      let i = base;
      qubits.forEach((q, j) => {
        if ((x >> j) & 1) i |= 1 << q;
      });
      idx[x] = i;
      ar[x] = re[i] ?? 0;
      ai[x] = im[i] ?? 0;
    }
    for (let r = 0; r < dim; r++) {
      let sr = 0;
      let si = 0;
      for (let c = 0; c < dim; c++) {
        const mr = m[2 * (r * dim + c)] ?? 0;
        const mi = m[2 * (r * dim + c) + 1] ?? 0;
        sr += mr * (ar[c] ?? 0) - mi * (ai[c] ?? 0);
        si += mr * (ai[c] ?? 0) + mi * (ar[c] ?? 0);
      }
      re[idx[r] ?? 0] = sr;
      im[idx[r] ?? 0] = si;
    }
  }
}

/** Runs a plan the way the tile kernel does: per tile gate, the matrix chosen by the selector bits of each index. */
function runPlan(n: number, plan: readonly PlannedPass[]): { re: Float64Array; im: Float64Array } {
  const re = new Float64Array(2 ** n);
  const im = new Float64Array(2 ** n);
  re[0] = 1;
  for (const pass of plan) {
    if (pass.kind === 'op') {
      const qs = [...pass.op.targets, ...pass.op.controls].sort((a, b) => a - b);
      applyDense(re, im, qs, expandGate(pass.op, qs));
      continue;
    }
    for (const g of pass.gates) {
      const qs = g.positions.map((p) => pass.qubits[p] ?? -1);
      const size = 2 * (1 << (2 * qs.length));
      // Per selector value, apply that matrix to the indices whose selector bits hold that value.
      for (let sel = 0; sel < 1 << g.selectors.length; sel++) {
        const m = g.matrices.subarray(sel * size, (sel + 1) * size);
        const saveRe = re.slice();
        const saveIm = im.slice();
        applyDense(re, im, qs, m);
        for (let i = 0; i < re.length; i++) {
          const v = g.selectors.reduce((a, q, j) => a | (((i >> q) & 1) << j), 0);
          if (v !== sel) {
            re[i] = saveRe[i] ?? 0;
            im[i] = saveIm[i] ?? 0;
          }
        }
      }
    }
  }
  return { re, im };
}

/** Random gates of every kind the planner meets: dense, diagonal, controlled (also negated), wide and permuting. */
function mixedRandom(n: number, count: number, seed: number): Circuit {
  const rng = new Rng(seed);
  const b = new CircuitBuilder(n);
  const pick = (avoid: number[] = []): number => {
    for (;;) {
      const q = Math.floor(rng.next() * n);
      if (!avoid.includes(q)) return q;
    }
  };
  const diag3 = diagonalMatrix(Array.from({ length: 8 }, (_, k) => [Math.cos(k + seed), Math.sin(k + seed)] as const));
  const dense4 = new Float64Array(2 * 256);
  for (let i = 0; i < 16; i++) dense4[2 * (i * 16 + ((i * 5 + 3) % 16))] = 1;
  for (let i = 0; i < count; i++) {
    const r = rng.next();
    const a = pick();
    const c2 = pick([a]);
    const c3 = pick([a, c2]);
    if (r < 0.3) b.u(rng.next() * 3, rng.next() * 6, rng.next() * 6, a);
    else if (r < 0.45) b.cz(a, c2);
    else if (r < 0.55) b.cx(a, c2);
    else if (r < 0.62) b.cp(rng.next() * 6, a, c2);
    else if (r < 0.68) b.rzz(rng.next() * 6, a, c2);
    else if (r < 0.74) b.ccx(a, c2, c3);
    else if (r < 0.8) b.swap(a, c2);
    else if (r < 0.86) b.unitary('cu', uMatrix(0.4, 0.1 * i, 0.2), [a], { controls: [c2, c3], controlValues: [1, 0] });
    else if (r < 0.92) b.unitary('diag3', diag3, [a, c2, c3]);
    else if (r < 0.95 && n >= 4) b.unitary('perm4', dense4, [a, c2, c3, pick([a, c2, c3])]);
    else b.rz(rng.next() * 6, a);
  }
  return b.build();
}

function checkTiles(plan: readonly PlannedPass[], o: PassPlanOptions): void {
  const t = tileWidth(o);
  const low = Math.min(o.lowQubits, o.chunkQubits, t);
  for (const pass of plan) {
    if (pass.kind !== 'tile') continue;
    assert.ok(pass.qubits.length <= t, `tile of ${pass.qubits.length} qubits > ${t}`);
    assert.ok(pass.qubits.filter((q) => q >= o.chunkQubits).length <= o.maxChunkBits, 'chunk bits per tile');
    for (let q = 0; q < low; q++) assert.ok(pass.qubits.includes(q), `low qubit ${q} in every tile`);
    for (const g of pass.gates) {
      assert.ok(g.positions.length <= MAX_TILE_GATE_QUBITS);
      assert.ok(g.selectors.length <= MAX_TILE_SELECTORS);
      for (const s of g.selectors) assert.ok(!pass.qubits.includes(s), 'selectors lie outside the tile');
    }
  }
}

test('pass plan: planned passes equal the complex128 state vector on random mixed circuits', async () => {
  const cpu = createStateVectorSimulator();
  const configs: [number, Omit<PassPlanOptions, 'numQubits'>][] = [
    [7, { chunkQubits: 3, tileQubits: 4, lowQubits: 1, maxChunkBits: 2, fusionQubits: 2 }],
    [8, { chunkQubits: 4, tileQubits: 5, lowQubits: 2, maxChunkBits: 3, fusionQubits: 3 }],
    [8, { chunkQubits: 2, tileQubits: 5, lowQubits: 2, maxChunkBits: 3, fusionQubits: 1 }],
    [9, { chunkQubits: 9, tileQubits: 4, lowQubits: 2, maxChunkBits: 3, fusionQubits: 3 }],
  ];
  let tilePasses = 0;
  let opPasses = 0;
  let selectorGates = 0;
  for (const [i, [n, rest]] of configs.entries()) {
    for (const seed of [1, 2]) {
      const circuit = mixedRandom(n, 60, 10 * i + seed);
      const o = { numQubits: n, ...rest };
      const plan = planPasses(unitaries(circuit), o);
      checkTiles(plan, o);
      tilePasses += plan.filter((p) => p.kind === 'tile').length;
      opPasses += plan.filter((p) => p.kind === 'op').length;
      for (const p of plan) if (p.kind === 'tile') selectorGates += p.gates.filter((g) => g.selectors.length).length;
      const got = runPlan(n, plan);
      const want = await cpu.simulate(circuit, { shots: 0, stateVector: true });
      for (let x = 0; x < 2 ** n; x++) {
        assert.ok(Math.abs((got.re[x] ?? NaN) - (want.stateVector?.re[x] ?? NaN)) < 1e-9, `n=${n} re[${x}]`);
        assert.ok(Math.abs((got.im[x] ?? NaN) - (want.stateVector?.im[x] ?? NaN)) < 1e-9, `n=${n} im[${x}]`);
      }
    }
  }
  // The circuits exercised tiles, gates chosen by qubits outside the tile, and gates no tile takes.
  assert.ok(tilePasses > 0 && selectorGates > 0 && opPasses > 0, `${tilePasses} / ${selectorGates} / ${opPasses}`);
});

test('pass plan: depth-20 random circuits fit one pass per cover set and layer, and the 30-qubit budget', () => {
  // Each cycle over the fixed cover of tile sets completes at least one layer, so the plan needs at most
  // (cover sets) × depth passes; the 30-qubit target (0.8 s at ~6.4 ms per pass over 8 GiB) allows about 100.
  for (const n of [28, 30, 32]) {
    const o: PassPlanOptions = {
      numQubits: n,
      chunkQubits: 27,
      tileQubits: TILE_QUBITS,
      lowQubits: TILE_LOW_QUBITS,
      maxChunkBits: 3,
      fusionQubits: 3,
    };
    const plan = planPasses(unitaries(randomCircuit(n, 20)), o);
    checkTiles(plan, o);
    const t = tileWidth(o);
    const bound = coverSets(n, o.chunkQubits, t, TILE_LOW_QUBITS, 3).length * 20;
    assert.ok(
      plan.every((p) => p.kind === 'tile'),
      'every gate of the random circuit runs inside a tile',
    );
    assert.ok(plan.length <= bound, `${n} qubits: ${plan.length} passes > ${bound}`);
    if (n === 30) assert.ok(plan.length <= 100, `30 qubits: ${plan.length} passes`);
  }
});

test('pass plan: QFT and GHZ plan into tiles, and a cover set reaches every qubit', () => {
  const o: PassPlanOptions = {
    numQubits: 30,
    chunkQubits: 27,
    tileQubits: TILE_QUBITS,
    lowQubits: TILE_LOW_QUBITS,
    maxChunkBits: 3,
    fusionQubits: 3,
  };
  const covers = coverSets(30, 27, TILE_QUBITS, TILE_LOW_QUBITS, 3);
  const covered = new Set(covers.flat());
  assert.equal(covered.size, 30);
  for (const S of covers) assert.ok(S.filter((q) => q >= 27).length <= 3);
  const q = planPasses(unitaries(qft(30)), o);
  // Every qubit is moved by the QFT's Hadamards and swaps, so the plan needs at least one tile per cover set.
  assert.ok(q.length >= covers.length && q.length < unitaries(qft(30)).length / 10, `${q.length} QFT passes`);
  const g = planPasses(unitaries(ghz(33)), { ...o, numQubits: 33 });
  checkTiles(g, { ...o, numQubits: 33 });
  assert.ok(g.length <= coverSets(33, 27, TILE_QUBITS, TILE_LOW_QUBITS, 3).length * 2, `${g.length} GHZ passes`);
});
