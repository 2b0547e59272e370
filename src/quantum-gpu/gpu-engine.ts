/**
 * The engine of src/quantum/sim/engine.ts, asynchronous: GPU reductions and read-backs are awaited. It follows the
 * same rules (branches split by outcome with one uniform per shot, terminal measurements sampled from one final
 * state, readout error flipping sampled bits, the same count keys), so counts and probabilities follow the CPU
 * backends' conventions; the seeded stream of uniforms is the same, sampled against f32 probabilities.
 */
import { MamlError } from '../shared/errors.js';
import type {
  Circuit,
  GlobalPhaseOp,
  NoiseChannel,
  SimulateOptions,
  SimulationResult,
  UnitaryOp,
} from '../quantum/index.js';
import { DEFAULT_SEED, DEFAULT_TRAJECTORIES, gate, lowerCircuit, Rng, X, Y, Z } from '../quantum/index.js';
import type { SimProgram } from '../quantum/index.js';
import { CountTally } from '../quantum/sim/count-tally.js';
import { evaluateCondition } from '../quantum/sim/program.js';
import type { GpuState } from './gpu-state.js';

export interface GpuEngineBackend {
  create(): Promise<GpuState>;
  /** Memory the branch copies may use together. */
  readonly memoryLimitBytes: number;
}

interface Branch {
  pc: number;
  state: GpuState;
  shots: number;
  clbits: Uint8Array;
}

const PAULI = { X, Y, Z } as const;

export async function runGpuEngine(
  circuit: Circuit,
  options: SimulateOptions,
  backend: GpuEngineBackend,
): Promise<SimulationResult> {
  const t0 = performance.now();
  const shots = options.shots ?? 1024;
  if (!Number.isInteger(shots) || shots < 0) {
    throw new MamlError('usage', `shots must be a non-negative integer, got ${shots}`);
  }
  if (circuit.numQubits < 1) throw new MamlError('usage', 'the circuit has no qubits');
  if (options.gradients) {
    throw new MamlError('unsupported', 'the webgpu backend does not compute gradients; use statevector');
  }
  const rng = new Rng(options.seed ?? DEFAULT_SEED);
  const program = lowerCircuit(circuit, options.noise);
  const observables = options.observables ?? [];
  const trajectories = program.deterministic ? Math.max(shots, 1) : shots > 0 ? shots : DEFAULT_TRAJECTORIES;
  const tally = new CountTally(program.keyBits);
  const probabilities = new Map<string, number>();
  const expectations = observables.map(() => 0);
  const readout = options.noise?.readout;
  const readoutRng = rng.fork();
  const terminalQubits = program.terminal.map((t) => t.qubit);

  const key = (clbits: Uint8Array): string => tally.key(clbits);
  const leaf = async (b: Branch): Promise<void> => {
    const weight = b.shots / trajectories;
    if (shots > 0) {
      const sampleShots = program.deterministic ? shots : b.shots;
      if (!readout) {
        const { index, count } = await b.state.sampleCounts(sampleShots, rng);
        tally.addIndices(b.clbits, program.terminal, index, count);
      } else {
        const bits = b.clbits.slice();
        for (const o of await b.state.sample(terminalQubits, sampleShots, rng)) {
          bits.set(b.clbits);
          program.terminal.forEach((t, j) => (bits[t.clbit] = o.bits[j] ?? 0));
          tally.addWithReadout(bits, o.count, program.measuredClbits, readout, readoutRng);
        }
      }
    }
    if (options.probabilities) {
      for (const o of await b.state.distribution(terminalQubits)) {
        const bits = b.clbits.slice();
        program.terminal.forEach((t, j) => (bits[t.clbit] = o.bits[j] ?? 0));
        const k = key(bits);
        probabilities.set(k, (probabilities.get(k) ?? 0) + weight * o.probability);
      }
    }
    for (let i = 0; i < observables.length; i++) {
      const h = observables[i];
      if (h) expectations[i] = (expectations[i] ?? 0) + weight * (await b.state.expectation(h));
    }
  };

  const root = await backend.create();
  let stateVector: { re: number[]; im: number[] } | undefined;
  try {
    if (program.deterministic) {
      for (const ins of program.instrs) if (ins.t === 'unitaries') await root.applyUnitaries(ins.ops);
      await leaf({ pc: 0, state: root, shots: trajectories, clbits: new Uint8Array(Math.max(program.keyBits, 1)) });
      if (options.stateVector) stateVector = await root.amplitudes();
    } else {
      if (options.stateVector) {
        throw new MamlError('unsupported', 'a state vector is only returned for circuits without random events');
      }
      await runBranches(program, root, trajectories, Math.max(circuit.numClbits, program.keyBits), rng, backend, leaf);
    }
  } finally {
    await root.release();
  }

  const sorted = <T>(m: Map<string, T>): [string, T][] => [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const extra: {
    probabilities?: Record<string, number>;
    stateVector?: { re: number[]; im: number[] };
    expectations?: number[];
  } = {};
  if (options.probabilities) {
    extra.probabilities = Object.fromEntries(sorted(probabilities).filter(([, p]) => p > 1e-14));
  }
  if (stateVector) extra.stateVector = stateVector;
  if (observables.length > 0) extra.expectations = expectations;
  return {
    backend: 'webgpu',
    qubits: circuit.numQubits,
    shots,
    counts: tally.record(),
    ...extra,
    durationMs: performance.now() - t0,
  };
}

function splitShots(shots: number, probs: readonly number[], rng: Rng): number[] {
  const out = probs.map(() => 0);
  let total = 0;
  for (const p of probs) total += p;
  const nonZero = probs.filter((p) => p > 0).length;
  if (nonZero === 1) {
    out[probs.findIndex((p) => p > 0)] = shots;
    return out;
  }
  for (let s = 0; s < shots; s++) {
    const u = rng.next() * total;
    let c = 0;
    let k = 0;
    for (; k < probs.length - 1; k++) {
      c += probs[k] ?? 0;
      if (u < c) break;
    }
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

type Apply = (s: GpuState, k: number, cl: Uint8Array) => Promise<void>;
type Fork = (b: Branch, probs: readonly number[], apply: Apply) => Promise<Branch>;

async function runBranches(
  program: SimProgram,
  root: GpuState,
  trajectories: number,
  numClbits: number,
  rng: Rng,
  backend: GpuEngineBackend,
  leaf: (b: Branch) => Promise<void>,
): Promise<void> {
  const stack: Branch[] = [{ pc: 0, state: root, shots: trajectories, clbits: new Uint8Array(numClbits) }];
  const limit = backend.memoryLimitBytes;
  const fork: Fork = async (b, probs, apply) => {
    const split = splitShots(b.shots, probs, rng);
    const taken = split.map((n, k) => [n, k] as const).filter(([n]) => n > 0);
    const last = taken.pop() ?? [b.shots, 0];
    for (const [n, k] of taken) {
      if ((stack.length + 2) * root.bytes > limit) {
        throw new MamlError(
          'resource_limit',
          `branching on random events needs more state copies than the memory limit of ${limit} bytes allows; ` +
            'use fewer qubits, fewer shots, or the MPS backend',
        );
      }
      const state = await b.state.clone();
      const clbits = b.clbits.slice();
      await apply(state, k, clbits);
      stack.push({ pc: b.pc + 1, state, shots: n, clbits });
    }
    const [n, k] = last;
    await apply(b.state, k, b.clbits);
    return { pc: b.pc + 1, state: b.state, shots: n, clbits: b.clbits };
  };

  try {
    while (stack.length > 0) {
      let b = stack.pop();
      while (b) {
        const ins = program.instrs[b.pc];
        if (!ins) break;
        switch (ins.t) {
          case 'unitaries':
            await b.state.applyUnitaries(ins.ops);
            b.pc++;
            break;
          case 'jump':
            b.pc = ins.to;
            break;
          case 'jumpUnless':
            b.pc = evaluateCondition(ins.condition, b.clbits) ? b.pc + 1 : ins.to;
            break;
          case 'measure':
          case 'reset': {
            const q = ins.qubit;
            const p1 = await b.state.probabilityOfOne(q);
            b = await fork(b, [1 - p1, p1], async (s, k, cl) => {
              await s.collapse(q, k as 0 | 1, k === 1 ? p1 : 1 - p1);
              if (ins.t === 'measure') cl[ins.clbit] = k;
              else if (k === 1) await s.applyUnitaries([gate('x', X, [q])]);
            });
            break;
          }
          case 'noise':
            b = await applyNoise(b, ins.channel, ins.qubits, fork);
            break;
        }
      }
      if (b) {
        await leaf(b);
        if (b.state !== root) b.state.destroy();
      }
    }
  } finally {
    for (const b of stack) if (b.state !== root) b.state.destroy();
  }
}

function paulis(qubits: readonly number[], index: number): (UnitaryOp | GlobalPhaseOp)[] {
  const ops: UnitaryOp[] = [];
  qubits.forEach((q, j) => {
    const p = (index >> (2 * j)) & 3;
    if (p > 0) {
      const name = p === 1 ? 'X' : p === 2 ? 'Y' : 'Z';
      ops.push(gate(name.toLowerCase(), PAULI[name], [q]));
    }
  });
  return ops;
}

async function applyNoise(b: Branch, channel: NoiseChannel, qubits: readonly number[], fork: Fork): Promise<Branch> {
  const q = qubits[0] ?? 0;
  switch (channel.kind) {
    case 'bit_flip':
      return fork(b, [1 - channel.p, channel.p], async (s, k) => {
        if (k === 1) await s.applyUnitaries([gate('x', X, [q])]);
      });
    case 'phase_flip':
      return fork(b, [1 - channel.p, channel.p], async (s, k) => {
        if (k === 1) await s.applyUnitaries([gate('z', Z, [q])]);
      });
    case 'depolarizing': {
      const n = 4 ** qubits.length;
      const probs = Array.from({ length: n }, (_, k) => (k === 0 ? 1 - channel.p + channel.p / n : channel.p / n));
      return fork(b, probs, async (s, k) => {
        if (k > 0) await s.applyUnitaries(paulis(qubits, k));
      });
    }
    case 'amplitude_damping':
    case 'phase_damping': {
      // Kraus K0 = diag(1, √(1−γ)); K1 = √γ|0⟩⟨1| (amplitude) or √γ|1⟩⟨1| (phase). P(K1) = γ·P(q = 1).
      const g = channel.gamma;
      const p1 = await b.state.probabilityOfOne(q);
      const pj = g * p1;
      return fork(b, [1 - pj, pj], async (s, k) => {
        if (k === 0) {
          await s.applyMatrix([q], new Float64Array([1, 0, 0, 0, 0, 0, Math.sqrt(1 - g), 0]));
          await s.scale(1 / Math.sqrt(1 - pj));
        } else {
          await s.collapse(q, 1, p1);
          if (channel.kind === 'amplitude_damping') await s.applyUnitaries([gate('x', X, [q])]);
        }
      });
    }
  }
}
