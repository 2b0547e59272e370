/**
 * Differential tests of the state-vector fast paths: fused and unfused runs against a naive reference apply
 * written independently here, with the kernel counters proving which fast path ran. Also the memory guard.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Circuit, UnitaryOp } from '../../src/quantum/index.js';
import { CircuitBuilder, createStateVectorSimulator, uMatrix, rzMatrix, SWAP } from './helpers.js';
import type { MamlErrorLike } from './helpers.js';

/** Reference: out[i] = Σ_c M[row(i), c]·ψ[i with target bits := c] when the controls hold, else ψ[i]. */
function naiveRun(c: Circuit): { re: number[]; im: number[] } {
  const dim = 2 ** c.numQubits;
  let re = new Array<number>(dim).fill(0);
  let im = new Array<number>(dim).fill(0);
  re[0] = 1;
  for (const op of c.ops) {
    if (op.type !== 'unitary') continue;
    const u = op as UnitaryOp;
    const k = u.targets.length;
    const nre = re.slice();
    const nim = im.slice();
    for (let i = 0; i < dim; i++) {
      const on = u.controls.every((q, j) => ((i >> q) & 1) === (u.controlValues[j] ?? 1));
      if (!on) continue;
      let row = 0;
      u.targets.forEach((t, j) => (row |= ((i >> t) & 1) << j));
      let sr = 0;
      let si = 0;
      for (let col = 0; col < 1 << k; col++) {
        let src = i;
        u.targets.forEach((t, j) => (src = (src & ~(1 << t)) | (((col >> j) & 1) << t)));
        const mr = u.matrix[2 * (row * (1 << k) + col)] ?? 0;
        const mi = u.matrix[2 * (row * (1 << k) + col) + 1] ?? 0;
        sr += mr * (re[src] ?? 0) - mi * (im[src] ?? 0);
        si += mr * (im[src] ?? 0) + mi * (re[src] ?? 0);
      }
      nre[i] = sr;
      nim[i] = si;
    }
    re = nre;
    im = nim;
  }
  return { re, im };
}

const angle = fc.double({ min: -Math.PI, max: Math.PI, noNaN: true });
const gateArb = fc.record({
  kind: fc.constantFrom('u', 'rz', 'cx', 'cz', 'cp', 'swap', 'ccx', 'cu', 'negcu', 'y', 's', 'x', 'h', 'ry'),
  a: angle,
  b: angle,
  c: angle,
  qs: fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 3, maxLength: 3 }),
});

function build(gates: readonly { kind: string; a: number; b: number; c: number; qs: number[] }[]): Circuit {
  const b = new CircuitBuilder(7);
  for (const g of gates) {
    const [q0, q1, q2] = g.qs as [number, number, number];
    switch (g.kind) {
      case 'u':
        b.u(g.a, g.b, g.c, q0);
        break;
      case 'rz':
        b.unitary('rz', rzMatrix(g.a), [q0]);
        break;
      case 'cx':
        b.cx(q0, q1);
        break;
      case 'cz':
        b.cz(q0, q1);
        break;
      case 'cp':
        b.cp(g.a, q0, q1);
        break;
      case 'swap':
        b.unitary('swap', SWAP, [q0, q1]);
        break;
      case 'ccx':
        b.ccx(q0, q1, q2);
        break;
      case 'cu':
        b.unitary('cu', uMatrix(g.a, g.b, g.c), [q0], { controls: [q1, q2] });
        break;
      case 'negcu':
        b.unitary('cu', uMatrix(g.a, g.b, g.c), [q0], { controls: [q1, q2], controlValues: [0, 1] });
        break;
      case 'y':
        b.y(q0);
        break;
      case 'x':
        b.x(q0);
        break;
      case 'h':
        b.h(q0);
        break;
      case 'ry':
        b.ry(g.a, q0);
        break;
      default:
        b.s(q0);
    }
  }
  return b.build();
}

function assertClose(
  a: { re: readonly number[]; im: readonly number[] },
  b: { re: number[]; im: number[] },
  tol: number,
): void {
  assert.equal(a.re.length, b.re.length);
  for (let i = 0; i < a.re.length; i++) {
    assert.ok(Math.abs((a.re[i] ?? 0) - (b.re[i] ?? 0)) <= tol, `re[${i}]: ${a.re[i]} vs ${b.re[i]}`);
    assert.ok(Math.abs((a.im[i] ?? 0) - (b.im[i] ?? 0)) <= tol, `im[${i}]: ${a.im[i]} vs ${b.im[i]}`);
  }
}

test('fused, unfused and naive reference agree on random circuits', async () => {
  const widths = [0, 2, 3, 4];
  const sims = widths.map((fusionQubits) => createStateVectorSimulator({ fusionQubits }));
  await fc.assert(
    fc.asyncProperty(fc.array(gateArb, { minLength: 1, maxLength: 30 }), async (gates) => {
      const c = build(gates);
      const ref = naiveRun(c);
      for (const sim of sims) {
        const r = await sim.simulate(c, { shots: 0, stateVector: true });
        assert.ok(r.stateVector);
        assertClose(r.stateVector, ref, 1e-10);
      }
    }),
    { numRuns: 60, seed: 7 },
  );
});

test('kernel kinds are detected from the matrix and controls touch only their subspace', async () => {
  const sim = createStateVectorSimulator({ fusionQubits: 0 });
  const c = new CircuitBuilder(4)
    .h(0)
    .rz(0.3, 1)
    .t(2)
    .cz(0, 1)
    .cp(0.2, 1, 2)
    .x(3)
    .cx(0, 1)
    .swap(1, 2)
    .ccx(0, 1, 3)
    .y(2)
    .build();
  await sim.simulate(c, { shots: 0 });
  assert.deepEqual(sim.lastStats.passes, { dense: 1, diagonal: 4, permutation: 5, identity: 0 });
  assert.equal(sim.lastStats.fusedBlocks, 0);
  const ref = naiveRun(c);
  const sv = (await sim.simulate(c, { shots: 0, stateVector: true })).stateVector;
  assert.ok(sv);
  assertClose(sv, ref, 1e-12);
});

test('fusion merges a rotation layer and a CZ layer into few passes', async () => {
  const n = 8;
  const b = new CircuitBuilder(n);
  for (let layer = 0; layer < 4; layer++) {
    for (let q = 0; q < n; q++) b.u(0.1 * q + layer, 0.2, 0.3, q);
    for (let q = layer % 2; q + 1 < n; q += 2) b.cz(q, q + 1);
  }
  const c = b.build();
  const fused = createStateVectorSimulator({ fusionQubits: 2 });
  const plain = createStateVectorSimulator({ fusionQubits: 0 });
  const rf = await fused.simulate(c, { shots: 0, stateVector: true });
  const rp = await plain.simulate(c, { shots: 0, stateVector: true });
  assert.ok(rf.stateVector && rp.stateVector);
  assertClose(rf.stateVector, { re: [...rp.stateVector.re], im: [...rp.stateVector.im] }, 1e-12);
  const gates = c.ops.length;
  const passes = (s: typeof fused.lastStats): number => Object.values(s.passes).reduce((x, y) => x + y, 0);
  assert.equal(passes(plain.lastStats), gates);
  assert.ok(fused.lastStats.fusedGates > gates / 2, `fused ${fused.lastStats.fusedGates} of ${gates}`);
  assert.ok(passes(fused.lastStats) < gates / 2, `${passes(fused.lastStats)} passes for ${gates} gates`);
});

test('a fused block of diagonal gates stays on the diagonal kernel', async () => {
  const sim = createStateVectorSimulator({ fusionQubits: 2 });
  await sim.simulate(new CircuitBuilder(3).rz(0.4, 0).cz(0, 1).t(1).build(), { shots: 0 });
  assert.equal(sim.lastStats.fusedBlocks, 1);
  assert.deepEqual(sim.lastStats.passes, { dense: 0, diagonal: 1, permutation: 0, identity: 0 });
});

test('the memory guard refuses a state that does not fit and says what does', async () => {
  const sim = createStateVectorSimulator();
  const c = new CircuitBuilder(24).h(0).build();
  await assert.rejects(sim.simulate(c, { memoryLimitBytes: 64 * 2 ** 20 }), (e: MamlErrorLike) => {
    assert.equal(e.code, 'resource_limit');
    assert.match(e.message, /24-qubit complex128 state vector needs 256 MiB/);
    assert.match(e.message, /at most 22 qubits fit/);
    assert.match(e.message, /MPS backend/);
    return true;
  });
  const budgeted = createStateVectorSimulator({ memoryBudgetBytes: 2 ** 20 });
  await assert.rejects(budgeted.simulate(new CircuitBuilder(16).build(), { shots: 0 }), /at most 15 qubits fit/);
  await assert.rejects(
    sim.simulate(new CircuitBuilder(20).build(), { precision: 64, memoryLimitBytes: 2 ** 20 }),
    /complex64 state vector needs 8 MiB .* at most 17 qubits fit/,
  );
});

test('the controlled phases of a QFT row fold into one wide diagonal pass', async () => {
  const n = 9;
  const b = new CircuitBuilder(n);
  for (let q = 0; q < n - 1; q++) b.h(q);
  b.h(n - 1);
  for (let k = n - 2; k >= 0; k--) b.cp(Math.PI / 2 ** (n - 1 - k), k, n - 1);
  const c = b.build();
  const fused = createStateVectorSimulator({ fusionQubits: 2 });
  const plain = createStateVectorSimulator({ fusionQubits: 0 });
  const rf = await fused.simulate(c, { shots: 0, stateVector: true });
  const rp = await plain.simulate(c, { shots: 0, stateVector: true });
  assert.ok(rf.stateVector && rp.stateVector);
  assertClose(rf.stateVector, { re: [...rp.stateVector.re], im: [...rp.stateVector.im] }, 1e-12);
  // n − 1 phases: one joins the dense block of the last h, the other n − 2 become a single diagonal pass.
  assert.equal(fused.lastStats.passes.diagonal, 1);
  assert.ok(fused.lastStats.fusedGates >= n - 1);
});

test('malformed circuits are refused before any kernel runs', async () => {
  const sim = createStateVectorSimulator();
  await assert.rejects(sim.simulate(new CircuitBuilder(2).h(2).build()), /qubit 2 is outside 0..1/);
  await assert.rejects(sim.simulate(new CircuitBuilder(2).cx(1, 1).build()), /appears twice/);
  await assert.rejects(sim.simulate(new CircuitBuilder(2, 1).measure(0, 3).build()), /clbit 3 is outside/);
  await assert.rejects(
    sim.simulate(new CircuitBuilder(2).unitary('bad', new Float64Array(8), [0, 1]).build()),
    /expected a 4×4 matrix/,
  );
  await assert.rejects(sim.simulate(new CircuitBuilder(25).build(), { stateVector: true }), /at most 24 qubits/);
});
