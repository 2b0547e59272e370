/**
 * The engine shared by every backend: runs a lowered program on a SimState, branching where the circuit is
 * stochastic (mid-circuit measurement, reset, noise). Shots that share a branch stay together: at each random
 * event the branch's shots are split by outcome (one uniform per shot), and only outcomes that received shots are
 * followed, depth first, so a circuit ending in measurements costs one pass plus sampling. Readout error flips
 * sampled bits afterwards.
 *
 * It is written once for states that answer at once (CPU) and states that answer with promises (WebGPU): every
 * answer of a state that is a promise is yielded to the driver (awaitable.ts). `runEngine` drives it synchronously, without a
 * promise or a microtask anywhere; `runEngineAsync` awaits the GPU's answers. The seeded stream of uniforms is
 * consumed in the same order either way.
 */
import { MamlError } from '../../shared/errors.js';
import type { Circuit, GlobalPhaseOp, NoiseChannel, Operation, UnitaryOp } from '../circuit.js';
import type { BackendName, PauliSum, SimulateOptions, SimulationResult } from '../simulator.js';
import { CountTally } from './count-tally.js';
import { gate, X, Y, Z } from './gates.js';
import { evaluateCondition, lowerCircuit, type Program } from './program.js';
import { DEFAULT_SEED, Rng } from './prng.js';
import type { SimState } from './sim-state.js';
import { andThen, isThenable, runAsync, runSync, settle, type Awaitable, type Steps } from './awaitable.js';

export interface EngineBackend {
  readonly name: BackendName;
  /** A fresh |0…0⟩ state. */
  create(): Awaitable<SimState>;
  /** Memory a single state may use before clones are refused. */
  readonly memoryLimitBytes: number;
  /** Adjoint gradients for a deterministic program, per observable; absent when the backend has none (synchronous). */
  gradients?(state: SimState, program: Program, options: SimulateOptions): Record<string, number>[];
}

/** Widest state returned as `stateVector` (2 × 2^24 numbers in plain arrays is already ~270 MB of JSON). */
export const MAX_STATE_VECTOR_OUTPUT_QUBITS = 24;

/** Trajectories for expectation values of a stochastic circuit when no shots are asked for. */
export const DEFAULT_TRAJECTORIES = 1024;

interface Branch {
  pc: number;
  state: SimState;
  shots: number;
  clbits: Uint8Array;
}

const PAULI = { X, Y, Z } as const;

/** Checks what the kernels rely on (indices in range, matrix sizes); a malformed circuit is a usage error. */
export function validateCircuit(circuit: Circuit, options: SimulateOptions): void {
  const shots = options.shots ?? 1024;
  if (!Number.isInteger(shots) || shots < 0) {
    throw new MamlError('usage', `shots must be a non-negative integer, got ${shots}`);
  }
  const n = circuit.numQubits;
  if (!Number.isInteger(n) || n < 1) throw new MamlError('usage', 'the circuit has no qubits');
  if (options.stateVector && n > MAX_STATE_VECTOR_OUTPUT_QUBITS) {
    throw new MamlError(
      'too_large',
      `a state vector is returned for at most ${MAX_STATE_VECTOR_OUTPUT_QUBITS} qubits (this circuit has ${n}); ` +
        'ask for counts, probabilities or expectation values instead',
    );
  }
  const qubit = (q: number, where: string): void => {
    if (!Number.isInteger(q) || q < 0 || q >= n) {
      throw new MamlError('usage', `${where}: qubit ${q} is outside 0..${n - 1}`);
    }
  };
  const clbit = (c: number, where: string): void => {
    if (!Number.isInteger(c) || c < 0 || c >= circuit.numClbits) {
      throw new MamlError('usage', `${where}: clbit ${c} is outside 0..${circuit.numClbits - 1}`);
    }
  };
  const check = (ops: readonly Operation[]): void => {
    for (const op of ops) {
      switch (op.type) {
        case 'unitary': {
          const where = `gate ${op.label}`;
          const all = [...op.targets, ...op.controls];
          all.forEach((q) => qubit(q, where));
          if (new Set(all).size !== all.length) throw new MamlError('usage', `${where}: a qubit appears twice`);
          const dim = 2 ** op.targets.length;
          if (op.targets.length === 0 || op.matrix.length !== 2 * dim * dim) {
            throw new MamlError('usage', `${where}: expected a ${dim}×${dim} matrix for ${op.targets.length} targets`);
          }
          if (op.controlValues.length !== op.controls.length) {
            throw new MamlError('usage', `${where}: controlValues and controls differ in length`);
          }
          break;
        }
        case 'measure':
          qubit(op.qubit, 'measure');
          clbit(op.clbit, 'measure');
          break;
        case 'reset':
          qubit(op.qubit, 'reset');
          break;
        case 'barrier':
          op.qubits.forEach((q) => qubit(q, 'barrier'));
          break;
        case 'noise':
          op.qubits.forEach((q) => qubit(q, `noise ${op.channel.kind}`));
          break;
        case 'if':
          op.condition.clbits.forEach((c) => clbit(c, 'if'));
          check(op.then);
          check(op.else);
          break;
        case 'gphase':
          break;
      }
    }
  };
  check(circuit.ops);
}

/** Runs the engine on a backend whose states answer at once (the CPU backends): no promise is involved. */
export function runEngine(circuit: Circuit, options: SimulateOptions, backend: EngineBackend): SimulationResult {
  return runSync(engine(circuit, options, backend));
}

/** Runs the engine on a backend whose states may answer with promises (WebGPU). */
export function runEngineAsync(
  circuit: Circuit,
  options: SimulateOptions,
  backend: EngineBackend,
): Promise<SimulationResult> {
  return runAsync(engine(circuit, options, backend));
}

function* engine(circuit: Circuit, options: SimulateOptions, backend: EngineBackend): Steps<SimulationResult> {
  const t0 = performance.now();
  validateCircuit(circuit, options);
  const shots = options.shots ?? 1024;
  const rng = new Rng(options.seed ?? DEFAULT_SEED);
  const program = lowerCircuit(circuit, options.noise);
  const observables = options.observables ?? [];
  if (options.gradients && !program.deterministic) {
    throw new MamlError(
      'unsupported',
      'gradients need a circuit without mid-circuit measurement, reset, classical control or noise',
    );
  }
  if (options.gradients && !backend.gradients) {
    throw new MamlError('unsupported', `the ${backend.name} backend does not compute gradients; use statevector`);
  }
  if (options.stateVector && !program.deterministic) {
    throw new MamlError('unsupported', 'a state vector is only returned for circuits without random events');
  }
  const trajectories = program.deterministic ? Math.max(shots, 1) : shots > 0 ? shots : DEFAULT_TRAJECTORIES;

  const tally = new CountTally(program.keyBits);
  const probabilities = new Map<string, number>();
  const expectations = observables.map(() => 0);
  const readout = options.noise?.readout;
  const readoutRng = rng.fork();
  const terminalQubits = program.terminal.map((t) => t.qubit);
  let truncationError = 0;

  const key = (clbits: Uint8Array): string => tally.key(clbits);
  function* leaf(b: Branch): Steps<void> {
    const weight = b.shots / trajectories;
    truncationError = Math.max(truncationError, b.state.truncationError);
    if (shots > 0) {
      const sampleShots = program.deterministic ? shots : b.shots;
      if (!readout && b.state.sampleCounts) {
        const { index, count } = yield* settle(b.state.sampleCounts(sampleShots, rng));
        tally.addIndices(b.clbits, program.terminal, index, count);
      } else {
        for (const o of yield* settle(b.state.sample(terminalQubits, sampleShots, rng))) {
          const bits = b.clbits.slice();
          program.terminal.forEach((t, j) => (bits[t.clbit] = o.bits[j] ?? 0));
          if (readout) tally.addWithReadout(bits, o.count, program.measuredClbits, readout, readoutRng);
          else tally.add(bits, o.count);
        }
      }
    }
    if (options.probabilities) {
      for (const o of yield* settle(b.state.distribution(terminalQubits))) {
        const bits = b.clbits.slice();
        program.terminal.forEach((t, j) => (bits[t.clbit] = o.bits[j] ?? 0));
        const k = key(bits);
        probabilities.set(k, (probabilities.get(k) ?? 0) + weight * o.probability);
      }
    }
    for (let i = 0; i < observables.length; i++) {
      const h = observables[i] as PauliSum;
      expectations[i] = (expectations[i] ?? 0) + weight * (yield* settle(b.state.expectation(h)));
    }
  }

  const extra: {
    probabilities?: Record<string, number>;
    stateVector?: { re: number[]; im: number[] };
    expectations?: number[];
    gradients?: Record<string, number>[];
    truncationError?: number;
  } = {};
  const root = yield* settle(backend.create());
  try {
    if (program.deterministic) {
      for (const ins of program.instrs) {
        if (ins.t !== 'unitaries') continue;
        const applied = root.applyUnitaries(ins.ops);
        if (isThenable(applied)) yield applied;
      }
      yield* leaf({ pc: 0, state: root, shots: trajectories, clbits: new Uint8Array(Math.max(program.keyBits, 1)) });
      if (options.gradients && backend.gradients) extra.gradients = backend.gradients(root, program, options);
      if (options.stateVector) extra.stateVector = yield* settle(root.amplitudes());
    } else {
      yield* runBranches(program, root, trajectories, Math.max(circuit.numClbits, program.keyBits), rng, backend, leaf);
    }
  } finally {
    root.destroy?.();
  }

  const result: SimulationResult = {
    backend: backend.name,
    qubits: circuit.numQubits,
    shots,
    counts: tally.record(),
    durationMs: 0,
  };
  if (options.probabilities) {
    extra.probabilities = Object.fromEntries(
      [...probabilities].filter(([, p]) => p > 1e-14).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    );
  }
  if (observables.length > 0) extra.expectations = expectations;
  if (backend.name === 'mps') extra.truncationError = truncationError;
  return { ...result, ...extra, durationMs: performance.now() - t0 };
}

/** Splits `shots` among outcomes with the given probabilities, one uniform per shot. */
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

/** A random event at one branch: the probability of each outcome, and how a state moves into outcome k. */
interface RandomEvent {
  readonly probs: readonly number[];
  /** Moves `s` into outcome k (and records a measured bit in `cl`). */
  apply(s: SimState, k: number, cl: Uint8Array): Awaitable<void>;
}

// The branch loop is the hot path of circuits with mid-circuit measurement or noise on small states: it yields
// only promises, and the random events are plain data rather than generators of their own.
function* runBranches(
  program: Program,
  root: SimState,
  trajectories: number,
  numClbits: number,
  rng: Rng,
  backend: EngineBackend,
  leaf: (b: Branch) => Steps<void>,
): Steps<void> {
  const stack: Branch[] = [{ pc: 0, state: root, shots: trajectories, clbits: new Uint8Array(numClbits) }];
  const limit = backend.memoryLimitBytes;
  let b: Branch | undefined;
  try {
    while (stack.length > 0) {
      b = stack.pop();
      while (b) {
        const ins = program.instrs[b.pc];
        if (!ins) break;
        let event: RandomEvent;
        switch (ins.t) {
          case 'unitaries': {
            const applied = b.state.applyUnitaries(ins.ops);
            if (isThenable(applied)) yield applied;
            b.pc++;
            continue;
          }
          case 'jump':
            b.pc = ins.to;
            continue;
          case 'jumpUnless':
            b.pc = evaluateCondition(ins.condition, b.clbits) ? b.pc + 1 : ins.to;
            continue;
          case 'measure':
          case 'reset': {
            let p1 = b.state.probabilityOfOne(ins.qubit);
            if (isThenable(p1)) p1 = (yield p1) as number;
            event = measureEvent(ins.t, ins.qubit, ins.t === 'measure' ? ins.clbit : -1, p1);
            break;
          }
          case 'noise': {
            let p1: Awaitable<number> = 0;
            if (isDamping(ins.channel)) {
              p1 = b.state.probabilityOfOne(ins.qubits[0] ?? 0);
              if (isThenable(p1)) p1 = (yield p1) as number;
            }
            event = noiseEvent(ins.channel, ins.qubits, p1);
            break;
          }
        }
        // Split the branch's shots by outcome; outcomes other than the last go on the stack as copies.
        const split = splitShots(b.shots, event.probs, rng);
        let last = split.length - 1;
        while (last > 0 && (split[last] ?? 0) === 0) last--;
        for (let k = 0; k < last; k++) {
          const n = split[k] ?? 0;
          if (n === 0) continue;
          if ((stack.length + 2) * root.bytes > limit) {
            throw new MamlError(
              'resource_limit',
              `branching on random events needs more state copies than the memory limit of ${limit} bytes allows; ` +
                'use fewer qubits, fewer shots, or the MPS backend',
            );
          }
          let state = b.state.clone();
          if (isThenable(state)) state = (yield state) as SimState;
          const clbits = b.clbits.slice();
          stack.push({ pc: b.pc + 1, state, shots: n, clbits });
          const applied = event.apply(state, k, clbits);
          if (isThenable(applied)) yield applied;
        }
        const applied = event.apply(b.state, last, b.clbits);
        if (isThenable(applied)) yield applied;
        b.shots = split[last] || b.shots;
        b.pc++;
      }
      if (b) {
        yield* leaf(b);
        if (b.state !== root) b.state.destroy?.();
        b = undefined;
      }
    }
  } finally {
    // A failure (a limit, a lost device) leaves branches in flight and on the stack: their states are given back.
    if (b && b.state !== root) b.state.destroy?.();
    for (const left of stack) if (left.state !== root) left.state.destroy?.();
  }
}

/** Measurement (outcome k is written to `clbit`) or reset (outcome 1 is flipped back to |0⟩) of `qubit`. */
function measureEvent(kind: 'measure' | 'reset', qubit: number, clbit: number, p1: number): RandomEvent {
  return {
    probs: [1 - p1, p1],
    apply: (s, k, cl) =>
      andThen(s.collapse(qubit, k as 0 | 1, k === 1 ? p1 : 1 - p1), () => {
        if (kind === 'measure') cl[clbit] = k;
        else if (k === 1) return s.applyUnitaries([gate('x', X, [qubit])]);
      }),
  };
}

function isDamping(channel: NoiseChannel): boolean {
  return channel.kind === 'amplitude_damping' || channel.kind === 'phase_damping';
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

/** A noise channel as a random event; `p1` is P(qubit = 1), needed by the damping channels only. */
function noiseEvent(channel: NoiseChannel, qubits: readonly number[], p1: number): RandomEvent {
  const q = qubits[0] ?? 0;
  switch (channel.kind) {
    case 'bit_flip':
      return {
        probs: [1 - channel.p, channel.p],
        apply: (s, k) => (k === 1 ? s.applyUnitaries([gate('x', X, [q])]) : undefined),
      };
    case 'phase_flip':
      return {
        probs: [1 - channel.p, channel.p],
        apply: (s, k) => (k === 1 ? s.applyUnitaries([gate('z', Z, [q])]) : undefined),
      };
    case 'depolarizing': {
      // ρ → (1 − p)ρ + p·I/2^m: with probability p a uniformly random Pauli string (identity included).
      const n = 4 ** qubits.length;
      return {
        probs: Array.from({ length: n }, (_, k) => (k === 0 ? 1 - channel.p + channel.p / n : channel.p / n)),
        apply: (s, k) => (k > 0 ? s.applyUnitaries(paulis(qubits, k)) : undefined),
      };
    }
    case 'amplitude_damping':
    case 'phase_damping': {
      // Kraus K0 = diag(1, √(1−γ)); K1 = √γ|0⟩⟨1| (amplitude) or √γ|1⟩⟨1| (phase). P(K1) = γ·P(q = 1).
      const g = channel.gamma;
      const pj = g * p1;
      const k0 = new Float64Array([1, 0, 0, 0, 0, 0, Math.sqrt(1 - g), 0]);
      return {
        probs: [1 - pj, pj],
        apply: (s, k) =>
          k === 0
            ? andThen(s.applyMatrix([q], k0), () => s.scale(1 / Math.sqrt(1 - pj)))
            : andThen(s.collapse(q, 1, p1), () =>
                channel.kind === 'amplitude_damping' ? s.applyUnitaries([gate('x', X, [q])]) : undefined,
              ),
      };
    }
  }
}
