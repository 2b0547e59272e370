// Property test of the shared pass plan on the CPU: random mixed circuits (dense one-, two- and three-qubit gates,
// diagonal gates, controlled gates with controls outside the tile, permutations) run as fused, cache-blocked tile
// passes must equal the unfused reference simulator: amplitudes to 1e-12 in complex128 and 1e-5 in complex64, with
// the WebAssembly SIMD kernels and with the TypeScript kernels, on the serial executor and split across worker
// threads. So the two kernel sets agree with each other through the same oracle.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createThreadedExecutor } from '../../src/quantum-node/threaded-executor.js';
import type { Circuit } from '../../src/quantum/index.js';
import {
  CircuitBuilder,
  createStateVectorSimulator,
  diagonalMatrix,
  Rng,
  serialExecutor,
  simulateReference,
  uMatrix,
  wasmAvailable,
} from '../../src/quantum/index.js';

function randomMixed(n: number, gates: number, seed: number): Circuit {
  const rng = new Rng(seed);
  const b = new CircuitBuilder(n);
  const q = (): number => Math.floor(rng.next() * n);
  const distinct = (k: number): number[] => {
    const out: number[] = [];
    while (out.length < k) {
      const x = q();
      if (!out.includes(x)) out.push(x);
    }
    return out;
  };
  const angle = (): number => 2 * Math.PI * rng.next();
  for (let g = 0; g < gates; g++) {
    const r = rng.next();
    if (r < 0.3) b.u(angle(), angle(), angle(), q());
    else if (r < 0.4) b.rz(angle(), q());
    else if (r < 0.5) {
      const [a = 0, c = 1] = distinct(2);
      b.cz(a, c);
    } else if (r < 0.6) {
      const [a = 0, c = 1] = distinct(2);
      b.cp(angle(), a, c);
    } else if (r < 0.68) {
      const [a = 0, c = 1] = distinct(2);
      b.cx(a, c);
    } else if (r < 0.74) {
      const [a = 0, c = 1] = distinct(2);
      b.swap(a, c);
    } else if (r < 0.8) {
      const [a = 0, c = 1, d = 2] = distinct(3);
      b.ccx(a, c, d);
    } else if (r < 0.88) {
      const [a = 0, c = 1] = distinct(2);
      b.unitary('cu', uMatrix(angle(), angle(), angle()), [c], { controls: [a] });
    } else if (r < 0.94) {
      const [a = 0, c = 1, d = 2] = distinct(3);
      const phases = Array.from({ length: 8 }, (): [number, number] => {
        const a = angle();
        return [Math.cos(a), Math.sin(a)];
      });
      b.unitary('diag3', diagonalMatrix(phases), [a, c, d]);
    } else b.rzz(angle(), ...(distinct(2) as [number, number]));
  }
  return b.build();
}

function assertClose(
  got: { re: readonly number[]; im: readonly number[] } | undefined,
  want: { re: readonly number[]; im: readonly number[] } | undefined,
  tol: number,
  label: string,
): void {
  assert.ok(got && want, `${label}: no state vector`);
  let worst = 0;
  for (let i = 0; i < want.re.length; i++) {
    worst = Math.max(
      worst,
      Math.abs((got.re[i] ?? NaN) - (want.re[i] ?? 0)),
      Math.abs((got.im[i] ?? NaN) - (want.im[i] ?? 0)),
    );
  }
  assert.ok(worst <= tol, `${label}: worst amplitude error ${worst} > ${tol}`);
}

const threaded = await createThreadedExecutor({ threads: 3, minQubits: 0 });
const threadedTs = await createThreadedExecutor({ threads: 2, minQubits: 0, wasm: false });
after(() => Promise.all([threaded.close(), threadedTs.close()]));
const EXECUTORS = [
  { name: 'serial wasm', executor: serialExecutor() },
  { name: 'serial typescript', executor: serialExecutor({ wasm: false }) },
  { name: 'threaded wasm', executor: threaded },
  { name: 'threaded typescript', executor: threadedTs },
];

test('tile kernels: WebAssembly SIMD is available and chosen, TypeScript on request', () => {
  assert.equal(wasmAvailable(), true);
  assert.deepEqual(
    EXECUTORS.map((e) => e.executor.tileKernels),
    ['wasm', 'typescript', 'wasm', 'typescript'],
  );
});

const CASES: { n: number; tile: number; fusion: number }[] = [
  { n: 6, tile: 3, fusion: 1 },
  { n: 7, tile: 4, fusion: 2 },
  { n: 8, tile: 5, fusion: 3 },
  { n: 8, tile: 8, fusion: 2 },
  { n: 9, tile: 6, fusion: 2 },
  { n: 10, tile: 7, fusion: 3 },
];

test('tile passes: fused, cache-blocked plans equal the reference simulator (complex128 and complex64)', async () => {
  let seed = 1;
  for (const { n, tile, fusion } of CASES) {
    for (let rep = 0; rep < 3; rep++, seed++) {
      const c = randomMixed(n, 12 * n, seed);
      const want = simulateReference(c, { shots: 0, stateVector: true }).stateVector;
      for (const { name, executor } of EXECUTORS) {
        const sim = createStateVectorSimulator({ tileQubits: tile, tileMinQubits: 1, fusionQubits: fusion, executor });
        for (const precision of [128, 64] as const) {
          const label = `n=${n} tile=${tile} fusion=${fusion} seed=${seed} ${precision} ${name}`;
          const got = (await sim.simulate(c, { shots: 0, stateVector: true, precision })).stateVector;
          assertClose(got, want, precision === 128 ? 1e-12 : 1e-5, label);
          assert.ok(sim.lastStats.tilePasses > 0, `${label}: no tile pass ran`);
          if (tile < n) assert.ok(sim.lastStats.tilePasses > 1, `${label}: one tile pass cannot hold every gate`);
        }
      }
    }
  }
  assert.ok(threaded.parallelPasses > 0 && threadedTs.parallelPasses > 0, 'tile passes ran on the workers');
});

test('tile passes: far fewer sweeps than gates on the depth-20 random circuit', async () => {
  const n = 12;
  const b = new CircuitBuilder(n);
  const rng = new Rng(7);
  for (let layer = 0; layer < 20; layer++) {
    for (let q = 0; q < n; q++) b.u(Math.PI * rng.next(), 2 * Math.PI * rng.next(), 2 * Math.PI * rng.next(), q);
    for (let q = layer % 2; q + 1 < n; q += 2) b.cz(q, q + 1);
  }
  const c = b.build();
  const gates = c.ops.length;
  const sim = createStateVectorSimulator({ tileQubits: 8, tileMinQubits: 1, fusionQubits: 2 });
  const got = (await sim.simulate(c, { shots: 0, stateVector: true })).stateVector;
  assertClose(got, simulateReference(c, { shots: 0, stateVector: true }).stateVector, 1e-12, 'depth 20');
  const s = sim.lastStats;
  const sweeps = s.tilePasses + Object.values(s.passes).reduce((x, y) => x + y, 0);
  assert.equal(s.tileGates, gates, 'every gate ran inside a tile');
  assert.ok(sweeps * 10 < gates, `${sweeps} sweeps for ${gates} gates`);
});

test('tile options: out-of-range widths are usage errors', () => {
  assert.throws(() => createStateVectorSimulator({ tileQubits: 21 }), /tileQubits must be an integer from 0 to 20/);
  assert.throws(() => createStateVectorSimulator({ tileQubits: -1 }), /tileQubits/);
  assert.throws(() => createStateVectorSimulator({ tileQubits: 2.5 }), /tileQubits/);
  assert.throws(() => createStateVectorSimulator({ tileMinQubits: 0 }), /tileMinQubits/);
});
