/**
 * Conformance suite shared by every simulator backend. Each case checks an analytic result (Bell/GHZ, QFT closed
 * form, Grover, Bernstein–Vazirani, teleportation, H₂ VQE, QAOA, noise channels), so a backend passes only by
 * being right, not by agreeing with another backend.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Circuit, PauliSum, SimulateOptions, SimulationResult, Simulator } from '../../src/quantum/index.js';
import { CircuitBuilder, diagonalMatrix, ryMatrix, uMatrix } from '../../src/quantum/index.js';
import { cuccaroAdder } from './circuits.js';

export interface ConformanceOptions {
  readonly name: string;
  readonly create: () => Simulator;
  /** Absolute tolerance for amplitudes and exact expectations (complex64 needs ~1e-5). */
  readonly tolerance?: number;
  /** The backend computes adjoint gradients. */
  readonly gradients?: boolean;
}

function close(actual: number, expected: number, tol: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: got ${actual}, expected ${expected} ± ${tol}`);
}

function z(...qs: number[]): PauliSum['terms'][number]['ops'] {
  return qs.map((qubit) => ({ qubit, pauli: 'Z' as const }));
}

/** Qubit q's frequency of 1 in counts keyed by clbit strings (clbit 0 rightmost). */
function freqOne(r: SimulationResult, clbit: number): number {
  let ones = 0;
  for (const [k, n] of Object.entries(r.counts)) if (k[k.length - 1 - clbit] === '1') ones += n;
  return ones / r.shots;
}

export function qftCircuit(n: number, basis: number): CircuitBuilder {
  const b = new CircuitBuilder(n);
  for (let q = 0; q < n; q++) if ((basis >> q) & 1) b.x(q);
  for (let j = n - 1; j >= 0; j--) {
    b.h(j);
    for (let k = j - 1; k >= 0; k--) b.cp(Math.PI / 2 ** (j - k), k, j);
  }
  for (let q = 0; q < Math.floor(n / 2); q++) b.swap(q, n - 1 - q);
  return b;
}

/**
 * H₂ in STO-3G at 0.735 Å, parity mapping with two-qubit reduction: coefficients as published in the Qiskit
 * textbook chapter "Simulating Molecules using VQE" (electronic part; qubit 0 is the rightmost Pauli label),
 * plus the nuclear repulsion 0.7199689944489797 Ha in the identity term. Exact ground energy −1.1373060357534 Ha.
 */
export const H2: PauliSum = {
  terms: [
    { coefficient: -1.052373245772859 + 0.7199689944489797, ops: [] },
    { coefficient: 0.39793742484318045, ops: z(0) },
    { coefficient: -0.39793742484318045, ops: z(1) },
    { coefficient: -0.01128010425623538, ops: z(0, 1) },
    {
      coefficient: 0.18093119978423156,
      ops: [
        { qubit: 0, pauli: 'X' },
        { qubit: 1, pauli: 'X' },
      ],
    },
  ],
};
export const H2_GROUND = -1.1373060357534;

function h2Ansatz(theta: number): Circuit {
  return new CircuitBuilder(2).ry(theta, 0, 'theta').x(1).cx(0, 1).build();
}

export function runConformance(o: ConformanceOptions): void {
  const tol = o.tolerance ?? 1e-9;
  const sim = o.create();
  const run = (c: Circuit, opts: SimulateOptions = {}): Promise<SimulationResult> => sim.simulate(c, opts);

  test(`${o.name}: Bell state probabilities are 1/2 on 00 and 11`, async () => {
    const r = await run(new CircuitBuilder(2, 2).h(0).cx(0, 1).measure(0, 0).measure(1, 1).build(), {
      probabilities: true,
      shots: 2000,
      seed: 7,
    });
    assert.deepEqual(Object.keys(r.probabilities ?? {}).sort(), ['00', '11']);
    close(r.probabilities?.['00'] ?? 0, 0.5, tol, 'P(00)');
    assert.deepEqual(Object.keys(r.counts).sort(), ['00', '11']);
    assert.equal((r.counts['00'] ?? 0) + (r.counts['11'] ?? 0), 2000);
    close((r.counts['00'] ?? 0) / 2000, 0.5, 0.05, 'sampled P(00)');
  });

  test(`${o.name}: GHZ-6 gives only all-zeros and all-ones`, async () => {
    const b = new CircuitBuilder(6, 6).h(0);
    for (let q = 1; q < 6; q++) b.cx(q - 1, q);
    const r = await run(b.measureAll().build(), { probabilities: true, shots: 500, seed: 1 });
    assert.deepEqual(Object.keys(r.counts).sort(), ['000000', '111111']);
    close(r.probabilities?.['111111'] ?? 0, 0.5, tol, 'P(111111)');
  });

  test(`${o.name}: without measurements, every qubit is measured (qubit 0 rightmost)`, async () => {
    const r = await run(new CircuitBuilder(3).x(0).build(), { shots: 10 });
    assert.deepEqual(r.counts, { '001': 10 });
  });

  test(`${o.name}: counts are keyed by clbit, highest first`, async () => {
    const r = await run(new CircuitBuilder(2, 3).x(0).measure(0, 2).measure(1, 0).build(), { shots: 5 });
    assert.deepEqual(r.counts, { '100': 5 });
  });

  test(`${o.name}: QFT of basis states equals (1/√N)·e^{2πi·xk/N}`, async () => {
    const n = 4;
    const N = 2 ** n;
    for (const x of [0, 5, 11]) {
      const r = await run(qftCircuit(n, x).build(), { shots: 0, stateVector: true });
      const sv = r.stateVector;
      assert.ok(sv);
      for (let k = 0; k < N; k++) {
        const a = (2 * Math.PI * x * k) / N;
        close(sv.re[k] ?? NaN, Math.cos(a) / Math.sqrt(N), tol, `re[${k}] for x=${x}`);
        close(sv.im[k] ?? NaN, Math.sin(a) / Math.sqrt(N), tol, `im[${k}] for x=${x}`);
      }
    }
  });

  test(`${o.name}: Grover on 3 qubits, 2 iterations, succeeds with sin²(5·asin(1/√8))`, async () => {
    const marked = 5;
    const oracle = diagonalMatrix(Array.from({ length: 8 }, (_, k) => [k === marked ? -1 : 1, 0] as const));
    const b = new CircuitBuilder(3, 3);
    for (let q = 0; q < 3; q++) b.h(q);
    for (let it = 0; it < 2; it++) {
      b.unitary('oracle', oracle, [0, 1, 2]);
      for (let q = 0; q < 3; q++) b.h(q).x(q);
      b.h(2).ccx(0, 1, 2).h(2);
      for (let q = 0; q < 3; q++) b.x(q).h(q);
    }
    const r = await run(b.measureAll().build(), { probabilities: true, shots: 0 });
    close(r.probabilities?.['101'] ?? 0, Math.sin(5 * Math.asin(1 / Math.sqrt(8))) ** 2, tol, 'P(marked)');
  });

  test(`${o.name}: Bernstein–Vazirani recovers the secret in one query`, async () => {
    const secret = '1011001';
    const n = secret.length;
    const b = new CircuitBuilder(n + 1, n).x(n).h(n);
    for (let q = 0; q < n; q++) b.h(q);
    for (let q = 0; q < n; q++) if (secret[n - 1 - q] === '1') b.cx(q, n);
    for (let q = 0; q < n; q++) b.h(q).measure(q, q);
    const r = await run(b.build(), { shots: 100, seed: 3 });
    assert.deepEqual(r.counts, { [secret]: 100 });
  });

  test(`${o.name}: ripple-carry adder adds basis states`, async () => {
    for (const [a, b] of [
      [5n, 9n],
      [15n, 15n],
      [0n, 7n],
    ] as const) {
      const { circuit, sumClbits } = cuccaroAdder(4, a, b);
      const r = await run(circuit, { shots: 3 });
      assert.deepEqual(r.counts, { [(a + b).toString(2).padStart(sumClbits, '0')]: 3 });
    }
  });

  test(`${o.name}: teleportation with classical control moves the state`, async () => {
    const theta = 1.1;
    const b = new CircuitBuilder(3, 3)
      .ry(theta, 0)
      .h(1)
      .cx(1, 2)
      .cx(0, 1)
      .h(0)
      .measure(0, 0)
      .measure(1, 1)
      .ifThen({ clbits: [1], comparison: '==', value: 1 }, (x) => x.x(2))
      .ifThen({ clbits: [0], comparison: '==', value: 1 }, (x) => x.z(2));
    // Undoing the rotation on the receiver must give |0⟩ whatever the two measured bits were.
    const undo = b.build();
    const r = await run(
      { ...undo, ops: [...undo.ops, ...new CircuitBuilder(3, 3).ry(-theta, 2).measure(2, 2).build().ops] },
      { shots: 400, seed: 11 },
    );
    assert.equal(freqOne(r, 2), 0);
    const outcomes = Object.keys(r.counts).map((k) => k.slice(1));
    assert.deepEqual([...new Set(outcomes)].sort(), ['00', '01', '10', '11']);
    const direct = await run(
      { ...undo, ops: [...undo.ops, { type: 'measure', qubit: 2, clbit: 2 }] },
      {
        shots: 20000,
        seed: 5,
      },
    );
    close(freqOne(direct, 2), Math.sin(theta / 2) ** 2, 0.015, 'teleported P(1)');
  });

  test(`${o.name}: mid-circuit measurement and reset`, async () => {
    const r = await run(new CircuitBuilder(1, 2).h(0).measure(0, 0).reset(0).measure(0, 1).build(), {
      shots: 4000,
      seed: 2,
    });
    assert.deepEqual(Object.keys(r.counts).sort(), ['00', '01']);
    close(freqOne(r, 0), 0.5, 0.04, 'P(first = 1)');
  });

  test(`${o.name}: random gates preserve the norm (property)`, async () => {
    const gateArb = fc.record({
      kind: fc.constantFrom('u', 'cu', 'rzz', 'ccx', 'swap'),
      a: fc.double({ min: -Math.PI, max: Math.PI, noNaN: true }),
      b: fc.double({ min: -Math.PI, max: Math.PI, noNaN: true }),
      c: fc.double({ min: -Math.PI, max: Math.PI, noNaN: true }),
      qs: fc.uniqueArray(fc.integer({ min: 0, max: 4 }), { minLength: 3, maxLength: 3 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(gateArb, { minLength: 1, maxLength: 25 }), async (gates) => {
        const b = new CircuitBuilder(5);
        for (const g of gates) {
          const [q0, q1, q2] = g.qs as [number, number, number];
          if (g.kind === 'u') b.u(g.a, g.b, g.c, q0);
          else if (g.kind === 'cu') b.unitary('cu', uMatrix(g.a, g.b, g.c), [q0], { controls: [q1] });
          else if (g.kind === 'rzz') b.rzz(g.a, q0, q1);
          else if (g.kind === 'ccx') b.ccx(q0, q1, q2);
          else b.swap(q0, q2);
        }
        const r = await run(b.build(), { shots: 0, stateVector: true });
        const sv = r.stateVector;
        assert.ok(sv);
        const norm = sv.re.reduce((s, x, i) => s + x * x + (sv.im[i] ?? 0) ** 2, 0);
        close(norm, 1, 10 * tol, 'norm');
      }),
      { numRuns: 40, seed: 42 },
    );
  });

  test(`${o.name}: the same seed gives the same counts`, async () => {
    const b = new CircuitBuilder(4, 4);
    for (let q = 0; q < 4; q++) b.ry(0.3 + q, q);
    b.cx(0, 1).cx(2, 3).measureAll();
    const c = b.build();
    const a1 = await run(c, { shots: 3000, seed: 99 });
    const a2 = await run(c, { shots: 3000, seed: 99 });
    const a3 = await run(c, { shots: 3000, seed: 100 });
    assert.deepEqual(a1.counts, a2.counts);
    assert.notDeepEqual(a1.counts, a3.counts);
  });

  test(`${o.name}: Pauli expectations of rotated states`, async () => {
    const t = 0.7;
    const r = await run(new CircuitBuilder(2).ry(t, 0).rx(t, 1).build(), {
      shots: 0,
      observables: [
        { terms: [{ coefficient: 1, ops: z(0) }] },
        { terms: [{ coefficient: 1, ops: [{ qubit: 0, pauli: 'X' }] }] },
        { terms: [{ coefficient: 2, ops: [{ qubit: 1, pauli: 'Y' }] }] },
        { terms: [{ coefficient: 1, ops: z(0, 1) }] },
      ],
    });
    const e = r.expectations ?? [];
    close(e[0] ?? NaN, Math.cos(t), tol, '⟨Z0⟩');
    close(e[1] ?? NaN, Math.sin(t), tol, '⟨X0⟩');
    close(e[2] ?? NaN, -2 * Math.sin(t), tol, '2⟨Y1⟩');
    close(e[3] ?? NaN, Math.cos(t) ** 2, tol, '⟨Z0Z1⟩');
  });

  test(`${o.name}: p=1 QAOA MaxCut on the 4-ring gives ⟨C⟩ = 3 at γ=π/4, β=π/8`, async () => {
    const gamma = Math.PI / 4;
    const beta = Math.PI / 8;
    const edges = [
      [0, 1],
      [1, 2],
      [2, 3],
      [3, 0],
    ] as const;
    const b = new CircuitBuilder(4);
    for (let q = 0; q < 4; q++) b.h(q);
    // e^{−iγC} with C = Σ (1 − Z_i Z_j)/2 is Π rzz(−γ) up to global phase; the mixer e^{−iβΣX} is Π rx(2β).
    for (const [i, j] of edges) b.rzz(-gamma, i, j);
    for (let q = 0; q < 4; q++) b.rx(2 * beta, q);
    const cost: PauliSum = {
      terms: [{ coefficient: 2, ops: [] }, ...edges.map(([i, j]) => ({ coefficient: -0.5, ops: z(i, j) }))],
    };
    const r = await run(b.build(), { shots: 0, observables: [cost] });
    close(r.expectations?.[0] ?? NaN, 3, tol, '⟨C⟩');
  });

  test(`${o.name}: H₂ VQE reaches the exact ground energy`, async () => {
    let theta = 0.2;
    const energy = async (t: number): Promise<number> =>
      (await run(h2Ansatz(t), { shots: 0, observables: [H2] })).expectations?.[0] ?? NaN;
    for (let it = 0; it < 60; it++) {
      let g: number;
      if (o.gradients) {
        const r = await run(h2Ansatz(theta), { shots: 0, observables: [H2], gradients: true });
        g = r.gradients?.[0]?.['theta'] ?? NaN;
      } else g = ((await energy(theta + Math.PI / 2)) - (await energy(theta - Math.PI / 2))) / 2;
      theta -= 1.0 * g;
    }
    close(await energy(theta), H2_GROUND, Math.max(tol, 1e-9), 'E(θ*)');
  });

  if (o.gradients) {
    test(`${o.name}: adjoint gradients equal parameter-shift gradients`, async () => {
      const build = (a: number, b: number, c: number): Circuit =>
        new CircuitBuilder(3)
          .h(0)
          .ry(a, 0, 'a')
          .rx(b, 1, 'b')
          .cx(0, 1)
          .rz(c, 1, 'c')
          .rzz(a, 1, 2, 'a')
          .unitary('cry', ryMatrix(b), [2], {
            controls: [0],
            derivatives: [{ param: 'b', matrix: dRy(b) }],
          })
          .build();
      const H: PauliSum = {
        terms: [
          { coefficient: 0.7, ops: z(1) },
          {
            coefficient: -1.3,
            ops: [
              { qubit: 0, pauli: 'X' },
              { qubit: 2, pauli: 'Y' },
            ],
          },
          { coefficient: 0.4, ops: z(0, 2) },
        ],
      };
      const p = { a: 0.3, b: -1.2, c: 2.1 };
      const r = await run(build(p.a, p.b, p.c), { shots: 0, observables: [H], gradients: true });
      const E = async (a: number, b: number, c: number): Promise<number> =>
        (await run(build(a, b, c), { shots: 0, observables: [H] })).expectations?.[0] ?? NaN;
      // Central differences (the controlled ry has no two-term shift rule); h small, error O(h²).
      const h = 1e-3;
      const fd = {
        a: ((await E(p.a + h, p.b, p.c)) - (await E(p.a - h, p.b, p.c))) / (2 * h),
        b: ((await E(p.a, p.b + h, p.c)) - (await E(p.a, p.b - h, p.c))) / (2 * h),
        c: ((await E(p.a, p.b, p.c + h)) - (await E(p.a, p.b, p.c - h))) / (2 * h),
      };
      // rz alone follows the two-term parameter-shift rule exactly.
      const shiftC = ((await E(p.a, p.b, p.c + Math.PI / 2)) - (await E(p.a, p.b, p.c - Math.PI / 2))) / 2;
      const g = r.gradients?.[0] ?? {};
      const gtol = Math.max(1e-5, tol * 200);
      close(g['a'] ?? NaN, fd.a, gtol, '∂/∂a');
      close(g['b'] ?? NaN, fd.b, gtol, '∂/∂b');
      close(g['c'] ?? NaN, fd.c, gtol, '∂/∂c');
      close(g['c'] ?? NaN, shiftC, Math.max(tol * 10, 1e-9), '∂/∂c by parameter shift');
    });
  }

  const noiseShots = 20000;
  const noiseTol = 0.012;
  test(`${o.name}: bit flip p on |0⟩ gives P(1) = p`, async () => {
    const c = new CircuitBuilder(1, 1).noise({ kind: 'bit_flip', p: 0.1 }, 0).measure(0, 0).build();
    close(freqOne(await run(c, { shots: noiseShots, seed: 1 }), 0), 0.1, noiseTol, 'P(1)');
  });

  test(`${o.name}: phase flip p between Hadamards gives P(1) = p`, async () => {
    const c = new CircuitBuilder(1, 1).h(0).noise({ kind: 'phase_flip', p: 0.25 }, 0).h(0).measure(0, 0).build();
    close(freqOne(await run(c, { shots: noiseShots, seed: 2 }), 0), 0.25, noiseTol, 'P(1)');
  });

  test(`${o.name}: depolarizing p on |0⟩ gives P(1) = p/2`, async () => {
    const c = new CircuitBuilder(1, 1).noise({ kind: 'depolarizing', p: 0.3 }, 0).measure(0, 0).build();
    close(freqOne(await run(c, { shots: noiseShots, seed: 3 }), 0), 0.15, noiseTol, 'P(1)');
  });

  test(`${o.name}: amplitude damping γ on |1⟩ leaves P(1) = 1 − γ, repeated k times (1 − γ)^k`, async () => {
    const b = new CircuitBuilder(1, 1).x(0);
    for (let k = 0; k < 3; k++) b.noise({ kind: 'amplitude_damping', gamma: 0.2 }, 0);
    const r = await run(b.measure(0, 0).build(), { shots: noiseShots, seed: 4 });
    close(freqOne(r, 0), 0.8 ** 3, noiseTol, 'P(1)');
  });

  test(`${o.name}: phase damping γ shrinks coherence by √(1 − γ)`, async () => {
    const gamma = 0.36;
    const c = new CircuitBuilder(1, 1).h(0).noise({ kind: 'phase_damping', gamma }, 0).h(0).measure(0, 0).build();
    close(freqOne(await run(c, { shots: noiseShots, seed: 5 }), 0), (1 - Math.sqrt(1 - gamma)) / 2, noiseTol, 'P(1)');
  });

  test(`${o.name}: noise model per gate label, globally, and readout error`, async () => {
    const c = new CircuitBuilder(2, 2).x(0).h(1).h(1).measure(0, 0).measure(1, 1).build();
    const perGate = await run(c, {
      shots: noiseShots,
      seed: 6,
      noise: { perGate: { x: [{ kind: 'bit_flip', p: 0.2 }] } },
    });
    close(freqOne(perGate, 0), 0.8, noiseTol, 'P(c0 = 1) with bit flip after x');
    close(freqOne(perGate, 1), 0, 0, 'P(c1 = 1) untouched by the x noise');
    const xx = new CircuitBuilder(1, 1).x(0).x(0).measure(0, 0).build();
    const global = await run(xx, { shots: noiseShots, seed: 7, noise: { global: [{ kind: 'bit_flip', p: 0.1 }] } });
    // Two noisy x gates: flipped an odd number of times with probability 2·0.1·0.9.
    close(freqOne(global, 0), 0.18, noiseTol, 'P(1) after two noisy gates');
    const readout = await run(c, { shots: noiseShots, seed: 8, noise: { readout: { p01: 0.05, p10: 0.3 } } });
    close(freqOne(readout, 0), 0.7, noiseTol, 'P(read 1 | 1)');
    close(freqOne(readout, 1), 0.05, noiseTol, 'P(read 1 | 0)');
  });
}

function dRy(theta: number): Float64Array {
  // ∂/∂θ ry(θ) = ½·[[−sin, −cos], [cos, −sin]](θ/2)
  const c = Math.cos(theta / 2) / 2;
  const s = Math.sin(theta / 2) / 2;
  return new Float64Array([-s, 0, -c, 0, c, 0, -s, 0]);
}
