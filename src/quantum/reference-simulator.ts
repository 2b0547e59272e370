/**
 * The reference state-vector simulator: dense complex128, one gate at a time through `applyGate`, no fusion and
 * no threads. It is the oracle the fast backends are compared with, so it is written to be obviously right.
 *
 * - Circuits whose only measurements are terminal (nothing acts on a qubit after it is measured) and that have
 *   no `reset` or `if` run once; shots are sampled from the final distribution.
 * - Other circuits run shot by shot with projective collapse.
 * - `probabilities` are exact in both cases: dynamic circuits are expanded into their measurement branches.
 * - `expectations` and `gradients` use the state before terminal measurements (gradients by forward
 *   differentiation with the ops' `derivatives`); they are refused for dynamic circuits.
 * - Noise is not modelled (refused with `unsupported`); `precision: 64` runs in complex128 all the same.
 */
/* eslint-disable @typescript-eslint/no-non-null-assertion -- indices here are in range by construction (loop bounds,
   matrix dimensions, checked lookups); noUncheckedIndexedAccess would otherwise make every array read optional. */
import { MamlError } from '../shared/errors.js';
import type { Circuit, Condition, Operation, UnitaryOp } from './circuit.js';
import { applyGate } from './linalg/apply-gate.js';
import { DEFAULT_SEED, Rng } from './sim/prng.js';
import type { PauliSum, SimulateOptions, SimulationResult, Simulator } from './simulator.js';

/** Dense simulation beyond this would need more than 4 GiB for the state alone. */
export const REFERENCE_MAX_QUBITS = 28;
/** Measurement branches followed when computing exact probabilities of a dynamic circuit. */
const MAX_BRANCHES = 1 << 14;

function checkCondition(c: Condition, clbits: Uint8Array): boolean {
  let value = 0;
  c.clbits.forEach((b, i) => {
    value += (clbits[b] ?? 0) * 2 ** i;
  });
  switch (c.comparison) {
    case '==':
      return value === c.value;
    case '!=':
      return value !== c.value;
    case '<':
      return value < c.value;
    case '<=':
      return value <= c.value;
    case '>':
      return value > c.value;
    case '>=':
      return value >= c.value;
  }
}

function bitstring(clbits: Uint8Array): string {
  let s = '';
  for (let i = clbits.length - 1; i >= 0; i--) s += clbits[i] ? '1' : '0';
  return s;
}

function probabilityOfOne(state: Float64Array, qubit: number): number {
  let p = 0;
  const mask = 1 << qubit;
  for (let i = 0; i < state.length / 2; i++) if (i & mask) p += state[2 * i]! ** 2 + state[2 * i + 1]! ** 2;
  return Math.min(1, Math.max(0, p));
}

/** Project `qubit` on `outcome` and renormalise (probability of the outcome is `p`). */
function collapse(state: Float64Array, qubit: number, outcome: number, p: number): void {
  const mask = 1 << qubit;
  const norm = p > 0 ? 1 / Math.sqrt(p) : 0;
  for (let i = 0; i < state.length / 2; i++) {
    const keep = ((i & mask) !== 0 ? 1 : 0) === outcome;
    state[2 * i] = keep ? state[2 * i]! * norm : 0;
    state[2 * i + 1] = keep ? state[2 * i + 1]! * norm : 0;
  }
}

function applyPhase(state: Float64Array, angle: number): void {
  const [c, s] = [Math.cos(angle), Math.sin(angle)];
  for (let i = 0; i < state.length; i += 2) {
    const [re, im] = [state[i]!, state[i + 1]!];
    state[i] = re * c - im * s;
    state[i + 1] = re * s + im * c;
  }
}

function flipQubit(state: Float64Array, qubit: number): void {
  const x = Float64Array.of(0, 0, 1, 0, 1, 0, 0, 0);
  applyGate(state, Math.log2(state.length / 2), { targets: [qubit], matrix: x, controls: [], controlValues: [] });
}

/** Whether every measurement is terminal and there is no reset or conditional. */
export function isStatic(circuit: Circuit): boolean {
  const measured = new Set<number>();
  for (const op of circuit.ops) {
    switch (op.type) {
      case 'measure':
        measured.add(op.qubit);
        break;
      case 'reset':
      case 'if':
      case 'noise':
        return false;
      case 'unitary':
        if ([...op.targets, ...op.controls].some((q) => measured.has(q))) return false;
        break;
      default:
        break;
    }
  }
  return true;
}

function numQubitsOf(state: Float64Array): number {
  return Math.log2(state.length / 2);
}

function applyUnitary(state: Float64Array, op: UnitaryOp): void {
  applyGate(state, numQubitsOf(state), op);
}

/** Runs ops for one shot, drawing each measurement and reset outcome from `rng` and collapsing the state. */
function execute(ops: readonly Operation[], state: Float64Array, clbits: Uint8Array, rng: Rng): void {
  for (const op of ops) {
    switch (op.type) {
      case 'unitary':
        applyUnitary(state, op);
        break;
      case 'gphase':
        applyPhase(state, op.angle);
        break;
      case 'measure': {
        const p1 = probabilityOfOne(state, op.qubit);
        const outcome = rng.next() < p1 ? 1 : 0;
        collapse(state, op.qubit, outcome, outcome ? p1 : 1 - p1);
        clbits[op.clbit] = outcome;
        break;
      }
      case 'reset': {
        const p1 = probabilityOfOne(state, op.qubit);
        const outcome = rng.next() < p1 ? 1 : 0;
        collapse(state, op.qubit, outcome, outcome ? p1 : 1 - p1);
        if (outcome) flipQubit(state, op.qubit);
        break;
      }
      case 'if':
        execute(checkCondition(op.condition, clbits) ? op.then : op.else, state, clbits, rng);
        break;
      case 'barrier':
        break;
      case 'noise':
        throw new MamlError('unsupported', 'The reference simulator does not model noise channels.');
    }
  }
}

interface Branch {
  readonly state: Float64Array;
  readonly clbits: Uint8Array;
  readonly weight: number;
}

/** Exact outcome distribution of a dynamic circuit by following every measurement branch. */
function branchProbabilities(circuit: Circuit): Record<string, number> | undefined {
  const out: Record<string, number> = {};
  let branches = 0;
  const run = (ops: readonly Operation[], from: number, b: Branch, done: (b: Branch) => void): void => {
    for (let i = from; i < ops.length; i++) {
      const op = ops[i]!;
      if (op.type === 'measure' || op.type === 'reset') {
        const p1 = probabilityOfOne(b.state, op.qubit);
        for (const outcome of [0, 1]) {
          const p = outcome ? p1 : 1 - p1;
          if (p < 1e-14) continue;
          if (++branches > MAX_BRANCHES) throw new RangeError('too many branches');
          const state = b.state.slice();
          collapse(state, op.qubit, outcome, p);
          const clbits = b.clbits.slice();
          if (op.type === 'measure') clbits[op.clbit] = outcome;
          else if (outcome) flipQubit(state, op.qubit);
          run(ops, i + 1, { state, clbits, weight: b.weight * p }, done);
        }
        return;
      }
      if (op.type === 'if') {
        const body = checkCondition(op.condition, b.clbits) ? op.then : op.else;
        run(body, 0, b, (after) => run(ops, i + 1, after, done));
        return;
      }
      if (op.type === 'unitary') applyUnitary(b.state, op);
      else if (op.type === 'gphase') applyPhase(b.state, op.angle);
      else if (op.type === 'noise')
        throw new MamlError('unsupported', 'The reference simulator does not model noise channels.');
    }
    done(b);
  };
  try {
    run(
      circuit.ops,
      0,
      { state: initialState(circuit.numQubits), clbits: new Uint8Array(circuit.numClbits), weight: 1 },
      (b) => {
        const key = bitstring(b.clbits);
        out[key] = (out[key] ?? 0) + b.weight;
      },
    );
  } catch (error) {
    if (error instanceof RangeError) return undefined;
    throw error;
  }
  return out;
}

function initialState(n: number): Float64Array {
  const s = new Float64Array(2 * 2 ** n);
  s[0] = 1;
  return s;
}

const PAULI = {
  X: Float64Array.of(0, 0, 1, 0, 1, 0, 0, 0),
  Y: Float64Array.of(0, 0, 0, -1, 0, 1, 0, 0),
  Z: Float64Array.of(1, 0, 0, 0, 0, 0, -1, 0),
} as const;

/** H|ψ⟩ for a Pauli sum. */
function applyObservable(h: PauliSum, psi: Float64Array): Float64Array {
  const out = new Float64Array(psi.length);
  const n = numQubitsOf(psi);
  for (const term of h.terms) {
    const v = psi.slice();
    for (const { qubit, pauli } of term.ops)
      applyGate(v, n, { targets: [qubit], matrix: PAULI[pauli], controls: [], controlValues: [] });
    for (let i = 0; i < v.length; i++) out[i] = out[i]! + term.coefficient * v[i]!;
  }
  return out;
}

/** Re⟨a|b⟩. */
function realInner(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

export function createReferenceSimulator(): Simulator {
  return {
    name: 'statevector',
    simulate: (circuit, options) => Promise.resolve(simulateReference(circuit, options)),
  };
}

export function simulateReference(circuit: Circuit, options: SimulateOptions = {}): SimulationResult {
  const t0 = performance.now();
  const n = circuit.numQubits;
  if (n > REFERENCE_MAX_QUBITS) {
    throw new MamlError(
      'resource_limit',
      `The reference simulator holds at most ${REFERENCE_MAX_QUBITS} qubits densely; this circuit has ${n}.`,
    );
  }
  const bytes = 16 * 2 ** n;
  if (options.memoryLimitBytes !== undefined && bytes > options.memoryLimitBytes) {
    throw new MamlError(
      'resource_limit',
      `A ${n}-qubit state needs ${bytes} bytes, more than the limit of ${options.memoryLimitBytes}.`,
    );
  }
  if (options.noise) throw new MamlError('unsupported', 'The reference simulator does not model noise.');
  const shots = options.shots ?? 1024;
  if (!Number.isInteger(shots) || shots < 0)
    throw new MamlError('usage', `shots must be a non-negative integer, not ${shots}.`);
  const rng = new Rng(options.seed ?? DEFAULT_SEED);
  const counts: Record<string, number> = {};
  const staticCircuit = isStatic(circuit);
  let probabilities: Record<string, number> | undefined;
  let finalState: Float64Array | undefined;
  const result: { -readonly [K in keyof SimulationResult]?: SimulationResult[K] } = {};

  if (staticCircuit) {
    const state = initialState(n);
    const params = circuit.parameters;
    const wantGradients = options.gradients === true && (options.observables?.length ?? 0) > 0;
    const dstates = new Map<string, Float64Array>();
    if (wantGradients) for (const p of params) dstates.set(p, new Float64Array(state.length));
    const measures: { qubit: number; clbit: number }[] = [];
    for (const op of circuit.ops) {
      if (op.type === 'unitary') {
        // d(Aψ) = A·dψ + dA·ψ, where dA acts only where the controls are satisfied
        for (const [p, d] of dstates) {
          applyUnitary(d, op);
          const dA = op.derivatives?.find((x) => x.param === p);
          if (dA) {
            const term = state.slice();
            applyGate(term, n, { ...op, matrix: dA.matrix }, 'zero');
            for (let i = 0; i < d.length; i++) d[i] = d[i]! + term[i]!;
          }
        }
        applyUnitary(state, op);
      } else if (op.type === 'gphase') {
        applyPhase(state, op.angle);
        for (const d of dstates.values()) applyPhase(d, op.angle);
      } else if (op.type === 'measure') measures.push(op);
    }
    finalState = state;
    const probs = new Float64Array(2 ** n);
    for (let i = 0; i < probs.length; i++) probs[i] = state[2 * i]! ** 2 + state[2 * i + 1]! ** 2;
    const keyOf = (basis: number): string => {
      const clbits = new Uint8Array(circuit.numClbits);
      for (const m of measures) clbits[m.clbit] = (basis >> m.qubit) & 1;
      return bitstring(clbits);
    };
    if (options.probabilities) {
      probabilities = {};
      for (let i = 0; i < probs.length; i++) {
        if (probs[i]! === 0) continue;
        const k = keyOf(i);
        probabilities[k] = (probabilities[k] ?? 0) + probs[i]!;
      }
    }
    if (shots > 0) {
      const cumulative = new Float64Array(probs.length);
      let acc = 0;
      for (let i = 0; i < probs.length; i++) cumulative[i] = acc += probs[i]!;
      for (let s = 0; s < shots; s++) {
        const r = rng.next() * acc;
        let lo = 0;
        let hi = cumulative.length - 1;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (cumulative[mid]! > r) hi = mid;
          else lo = mid + 1;
        }
        const k = keyOf(lo);
        counts[k] = (counts[k] ?? 0) + 1;
      }
    }
    if (options.observables) {
      const hs = options.observables.map((h) => applyObservable(h, state));
      result.expectations = hs.map((hpsi) => realInner(state, hpsi));
      if (wantGradients) {
        result.gradients = hs.map((hpsi) => {
          const g: Record<string, number> = {};
          // ∂⟨ψ|H|ψ⟩ = 2·Re⟨Hψ|∂ψ⟩ (H Hermitian)
          for (const [p, d] of dstates) g[p] = 2 * realInner(hpsi, d);
          return g;
        });
      }
    }
  } else {
    if (options.observables || options.gradients) {
      throw new MamlError(
        'unsupported',
        'Expectation values and gradients need a circuit without mid-circuit measurement, reset or `if`.',
      );
    }
    for (let s = 0; s < shots; s++) {
      const clbits = new Uint8Array(circuit.numClbits);
      execute(circuit.ops, initialState(n), clbits, rng);
      const k = bitstring(clbits);
      counts[k] = (counts[k] ?? 0) + 1;
    }
    if (options.probabilities) probabilities = branchProbabilities(circuit);
  }
  if (probabilities) result.probabilities = probabilities;
  if (options.stateVector && finalState) {
    const re: number[] = [];
    const im: number[] = [];
    for (let i = 0; i < finalState.length; i += 2) {
      re.push(finalState[i]!);
      im.push(finalState[i + 1]!);
    }
    result.stateVector = { re, im };
  }
  return {
    ...result,
    backend: 'statevector',
    qubits: n,
    shots,
    counts,
    durationMs: performance.now() - t0,
  };
}
