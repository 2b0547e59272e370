import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { chunkQubitsFor, WebGpuSimulator } from '../../src/quantum-gpu/index.js';
import type { Circuit } from '../../src/quantum/index.js';
import { CircuitBuilder, createStateVectorSimulator, diagonalMatrix, uMatrix } from '../../src/quantum/index.js';
import { ghz, randomCircuit } from '../../src/quantum-gpu/random-circuits.js';
import { openOrSkip } from './gpu-available.js';

const sim = await openOrSkip('webgpu-chunks');

/** A layered circuit touching every qubit with dense, diagonal, permuting and controlled gates. */
function mixedCircuit(n: number, layers: number): Circuit {
  const b = new CircuitBuilder(n);
  const diag = diagonalMatrix(Array.from({ length: 8 }, (_, k) => [Math.cos(k), Math.sin(k)] as const));
  for (let l = 0; l < layers; l++) {
    for (let q = 0; q < n; q++) b.u(0.3 * q + l, 0.7 - 0.1 * l, 0.2 * q, q);
    for (let q = l % 2; q + 1 < n; q += 2) b.cz(q, q + 1);
    b.cx(0, n - 1)
      .ccx(1, n - 2, n - 1)
      .swap(2, n - 1)
      .rzz(0.4 + l, 3, n - 2)
      .cp(0.9, n - 1, 1);
    b.unitary('cu', uMatrix(0.5, 0.1 * l, -0.3), [n - 3], { controls: [n - 1, 0] });
    b.unitary('diag3', diag, [0, n - 1, n - 2]);
  }
  return b.build();
}

if (sim) {
  after(() => sim.close());

  test('webgpu-chunks: a state split into 3-qubit chunks matches the complex128 state vector', async () => {
    const n = 9;
    const c = mixedCircuit(n, 4);
    const r = await createStateVectorSimulator().simulate(c, { shots: 0, stateVector: true });
    assert.ok(r.stateVector);
    // Planned tile passes (3-qubit chunks, 5-qubit tiles: tiles bind chunk groups), then the dense and diagonal
    // kernels alone on the same chunks, then the default cost rule (light tile passes through the dense kernels).
    const shape = { chunkQubits: 3, tileQubits: 5, tileLowQubits: 2 };
    const tiled = new WebGpuSimulator(sim.ctx, { ...shape, denseLightPasses: false });
    const kernels = new WebGpuSimulator(sim.ctx, { chunkQubits: 3, tiles: false });
    const mixed = new WebGpuSimulator(sim.ctx, shape);
    for (const chunked of [tiled, kernels, mixed]) {
      const g = await chunked.simulate(c, { shots: 0, stateVector: true });
      assert.ok(g.stateVector);
      for (let i = 0; i < 2 ** n; i++) {
        assert.ok(Math.abs((g.stateVector.re[i] ?? NaN) - (r.stateVector.re[i] ?? 0)) < 1e-5, `re[${i}]`);
        assert.ok(Math.abs((g.stateVector.im[i] ?? NaN) - (r.stateVector.im[i] ?? 0)) < 1e-5, `im[${i}]`);
      }
    }
    // The paths really ran: tiles over chunk groups with fused blocks; chunk pairs and the diagonal kernel.
    const t = tiled.lastStats;
    assert.ok(t.passes.tile > 1 && t.tileGates > 0 && t.chunkPairDispatches > 0, JSON.stringify(t));
    assert.ok(t.fusedGates > 0, 'tile blocks fused');
    const k = kernels.lastStats;
    assert.equal(k.passes.tile, 0);
    assert.ok(k.chunkPairDispatches > 0 && k.passes.diagonal > 0 && k.fusedGates > 0, JSON.stringify(k));
    // The cost rule: the GHZ chain plans into light passes (one or two gates each), which run through the dense
    // kernels; every pass stays in tiles without the rule. Both give the CPU's state.
    const chain = ghz(n);
    const cr = await createStateVectorSimulator().simulate(chain, { shots: 0, stateVector: true });
    for (const [s, light] of [
      [mixed, true],
      [tiled, false],
    ] as const) {
      const g = await s.simulate(chain, { shots: 0, stateVector: true });
      for (let i = 0; i < 2 ** n; i++) {
        assert.ok(Math.abs((g.stateVector?.re[i] ?? NaN) - (cr.stateVector?.re[i] ?? 0)) < 1e-5, `GHZ re[${i}]`);
        assert.ok(Math.abs((g.stateVector?.im[i] ?? NaN) - (cr.stateVector?.im[i] ?? 0)) < 1e-5, `GHZ im[${i}]`);
      }
      const m = s.lastStats;
      assert.equal(m.passes.dense > 0, light, JSON.stringify(m));
    }
  });

  test('webgpu-chunks: planned tile passes match the complex128 state vector on random circuits', async () => {
    // Small chunks and tiles: many tiles per chunk, tiles binding chunk groups, gates chosen by outside qubits.
    // Full-size tiles with each thread layout (64 to 256 threads: several amplitudes and gate groups per thread),
    // swizzled workgroup slots and plain ones.
    const cpu = createStateVectorSimulator();
    for (const [n, chunkQubits, tileQubits, tileLowQubits, seed, tileLaneBits, tileSwizzle] of [
      [10, 3, 5, 2, 1, 7, true],
      [10, 4, 6, 1, 2, 7, true],
      [11, 11, 4, 2, 3, 7, true],
      [13, 10, 11, 3, 4, 6, true],
      [13, 11, 11, 3, 6, 7, false],
      [14, 12, 11, 3, 5, 8, true],
    ] as const) {
      const circuit = randomCircuit(n, 8, seed);
      const s = new WebGpuSimulator(sim.ctx, {
        chunkQubits,
        tileQubits,
        tileLowQubits,
        tileLaneBits,
        tileSwizzle,
        denseLightPasses: false,
      });
      const g = await s.simulate(circuit, { shots: 0, stateVector: true });
      const r = await cpu.simulate(circuit, { shots: 0, stateVector: true });
      assert.ok(s.lastStats.passes.tile > 2, `${n} qubits: ${s.lastStats.passes.tile} tile passes`);
      if (chunkQubits < n) assert.ok(s.lastStats.chunkPairDispatches > 0);
      let err = 0;
      for (let i = 0; i < 2 ** n; i++) {
        err = Math.max(err, Math.abs((g.stateVector?.re[i] ?? NaN) - (r.stateVector?.re[i] ?? 0)));
        err = Math.max(err, Math.abs((g.stateVector?.im[i] ?? NaN) - (r.stateVector?.im[i] ?? 0)));
      }
      assert.ok(
        err < 1e-5,
        `${n} qubits, chunks 2^${chunkQubits}, tiles 2^${tileQubits}, ${2 ** tileLaneBits} threads: max error ${err}`,
      );
    }
  });

  test('webgpu-chunks: fusion width and chunk size do not change the state', async () => {
    const n = 8;
    const c = mixedCircuit(n, 3);
    const a = await new WebGpuSimulator(sim.ctx, { fusionQubits: 1 }).simulate(c, { shots: 0, stateVector: true });
    const b = await new WebGpuSimulator(sim.ctx, { chunkQubits: 1, fusionQubits: 3 }).simulate(c, {
      shots: 0,
      stateVector: true,
    });
    // Width 5 with 5-qubit chunks: 3 chunk-selecting qubits, so 5-qubit blocks may bind all 8 buffers.
    const wide = new WebGpuSimulator(sim.ctx, { chunkQubits: 5, fusionQubits: 5 });
    assert.equal(wide.fusionWidth(n), 5);
    const d = await wide.simulate(c, { shots: 0, stateVector: true });
    assert.ok(wide.lastStats.fusedGates > 0);
    assert.ok(a.stateVector && b.stateVector);
    for (let i = 0; i < 2 ** n; i++) {
      assert.ok(Math.abs((a.stateVector.re[i] ?? NaN) - (b.stateVector.re[i] ?? NaN)) < 1e-5);
      assert.ok(Math.abs((a.stateVector.im[i] ?? NaN) - (b.stateVector.im[i] ?? NaN)) < 1e-5);
      assert.ok(Math.abs((a.stateVector.re[i] ?? NaN) - (d.stateVector?.re[i] ?? NaN)) < 1e-5);
      assert.ok(Math.abs((a.stateVector.im[i] ?? NaN) - (d.stateVector?.im[i] ?? NaN)) < 1e-5);
    }
  });

  test('webgpu-chunks: sampling across chunks and blocks follows the product-state marginals', async () => {
    // ry(θ_q) on each qubit: P(q = 1) = sin²(θ_q/2), independent across qubits.
    const n = 12;
    const theta = Array.from({ length: n }, (_, q) => 0.3 + (2.5 * q) / n);
    const b = new CircuitBuilder(n, n);
    theta.forEach((t, q) => b.ry(t, q));
    const shots = 20000;
    const chunked = new WebGpuSimulator(sim.ctx, { chunkQubits: 4 });
    const circuit = b.measureAll().build();
    const r = await chunked.simulate(circuit, { shots, seed: 17 });
    let total = 0;
    for (const v of Object.values(r.counts)) total += v;
    assert.equal(total, shots);
    theta.forEach((t, q) => {
      let ones = 0;
      for (const [k, v] of Object.entries(r.counts)) if (k[n - 1 - q] === '1') ones += v;
      const p = Math.sin(t / 2) ** 2;
      // 5 standard deviations of a binomial frequency.
      assert.ok(Math.abs(ones / shots - p) < 5 * Math.sqrt((p * (1 - p)) / shots) + 1e-3, `qubit ${q}`);
    });
    const again = await chunked.simulate(circuit, { shots, seed: 17 });
    assert.deepEqual(again.counts, r.counts);
  });

  test('webgpu-chunks: a Bell pair across the adapter binding limit (two storage buffers)', async (t) => {
    const c = chunkQubitsFor(sim.info);
    if (c > 24) {
      t.skip(`this adapter binds 2^${c} amplitudes; the test runs where one binding holds at most 2^24 (lavapipe)`);
      return;
    }
    // n = c + 1: qubit n − 1 selects the buffer, so h on it pairs the two chunks and the cx is chunk-controlled.
    const n = c + 1;
    const zz = { qubit: 0, pauli: 'Z' as const };
    const r = await sim.simulate(
      new CircuitBuilder(n)
        .h(n - 1)
        .cx(n - 1, 0)
        .build(),
      {
        shots: 200,
        seed: 5,
        observables: [
          {
            terms: [
              {
                coefficient: 1,
                ops: [
                  { qubit: 0, pauli: 'X' },
                  { qubit: n - 1, pauli: 'X' },
                ],
              },
            ],
          },
          { terms: [{ coefficient: 1, ops: [zz, { qubit: n - 1, pauli: 'Z' }] }] },
        ],
      },
    );
    assert.equal(sim.chunkQubits(n), c);
    assert.ok(sim.lastStats.chunkPairDispatches > 0);
    const one = `1${'0'.repeat(n - 2)}1`;
    assert.deepEqual(Object.keys(r.counts).sort(), ['0'.repeat(n), one]);
    assert.ok(Math.abs((r.counts[one] ?? 0) / 200 - 0.5) < 0.15);
    assert.ok(Math.abs((r.expectations?.[0] ?? NaN) - 1) < 1e-5, '⟨X0 Xn−1⟩ = 1');
    assert.ok(Math.abs((r.expectations?.[1] ?? NaN) - 1) < 1e-5, '⟨Z0 Zn−1⟩ = 1');
  });

  test('webgpu-chunks: a closed device reports a lost device', async () => {
    const own = await (await import('../../src/quantum-gpu/index.js')).createWebGpuSimulator();
    own.close();
    await assert.rejects(own.simulate(new CircuitBuilder(1).h(0).build()), /GPU device was lost/);
  });

  test('webgpu-chunks: complex128, bad chunk sizes and over-wide gates are refused with a reason', async () => {
    const c = new CircuitBuilder(2).h(0).build();
    await assert.rejects(sim.simulate(c, { precision: 128 }), /complex64 only/);
    assert.throws(() => new WebGpuSimulator(sim.ctx, { chunkQubits: 0 }), /chunkQubits/);
    const wide = new CircuitBuilder(6)
      .unitary('u4', diagonalMatrix(Array.from({ length: 16 }, () => [0, 1] as const)), [2, 3, 4, 5])
      .build();
    // A diagonal never pairs chunks, so it runs; a dense 4-qubit gate above 1-qubit chunks would bind 16 buffers.
    await new WebGpuSimulator(sim.ctx, { chunkQubits: 1 }).simulate(wide, { shots: 1 });
    const dense = new Float64Array(2 * 256);
    for (let i = 0; i < 16; i++) dense[2 * (i * 16 + ((i + 1) % 16))] = 1;
    const cyc = new CircuitBuilder(6).unitary('cycle', dense, [2, 3, 4, 5]).build();
    await assert.rejects(
      new WebGpuSimulator(sim.ctx, { chunkQubits: 1 }).simulate(cyc, { shots: 1 }),
      /binds more than/,
    );
  });
}
