/**
 * Standard gate matrices and a small programmatic circuit builder, for tests, benchmarks and callers that build
 * circuits without the OpenQASM front end. Matrices follow the conventions of ../circuit.ts (row-major, interleaved
 * re/im, targets[0] is the matrix's least significant qubit); rotation conventions follow OpenQASM 3
 * (rx(θ) = exp(−iθX/2), u(θ,φ,λ) as in the OpenQASM 3 specification, §"Built-in gates").
 */
import type { Circuit, ComplexMatrix, Condition, NoiseChannel, Operation, UnitaryOp } from '../circuit.js';

/** Builds an interleaved matrix from [re, im] pairs given row by row. */
export function mat(entries: readonly (readonly [number, number])[]): ComplexMatrix {
  const m = new Float64Array(entries.length * 2);
  entries.forEach(([re, im], i) => {
    m[2 * i] = re;
    m[2 * i + 1] = im;
  });
  return m;
}

const S2 = Math.SQRT1_2;
export const I2 = mat([
  [1, 0],
  [0, 0],
  [0, 0],
  [1, 0],
]);
export const X = mat([
  [0, 0],
  [1, 0],
  [1, 0],
  [0, 0],
]);
export const Y = mat([
  [0, 0],
  [0, -1],
  [0, 1],
  [0, 0],
]);
export const Z = mat([
  [1, 0],
  [0, 0],
  [0, 0],
  [-1, 0],
]);
export const H = mat([
  [S2, 0],
  [S2, 0],
  [S2, 0],
  [-S2, 0],
]);
export const S = phaseMatrix(Math.PI / 2);
export const SDG = phaseMatrix(-Math.PI / 2);
export const T = phaseMatrix(Math.PI / 4);
export const TDG = phaseMatrix(-Math.PI / 4);
export const SX = mat([
  [0.5, 0.5],
  [0.5, -0.5],
  [0.5, -0.5],
  [0.5, 0.5],
]);

export function phaseMatrix(lambda: number): ComplexMatrix {
  return mat([
    [1, 0],
    [0, 0],
    [0, 0],
    [Math.cos(lambda), Math.sin(lambda)],
  ]);
}

export function rxMatrix(theta: number): ComplexMatrix {
  const c = Math.cos(theta / 2);
  const s = Math.sin(theta / 2);
  return mat([
    [c, 0],
    [0, -s],
    [0, -s],
    [c, 0],
  ]);
}

export function ryMatrix(theta: number): ComplexMatrix {
  const c = Math.cos(theta / 2);
  const s = Math.sin(theta / 2);
  return mat([
    [c, 0],
    [-s, 0],
    [s, 0],
    [c, 0],
  ]);
}

export function rzMatrix(theta: number): ComplexMatrix {
  const c = Math.cos(theta / 2);
  const s = Math.sin(theta / 2);
  return mat([
    [c, -s],
    [0, 0],
    [0, 0],
    [c, s],
  ]);
}

/** OpenQASM 3 U(θ, φ, λ). */
export function uMatrix(theta: number, phi: number, lambda: number): ComplexMatrix {
  const c = Math.cos(theta / 2);
  const s = Math.sin(theta / 2);
  return mat([
    [c, 0],
    [-Math.cos(lambda) * s, -Math.sin(lambda) * s],
    [Math.cos(phi) * s, Math.sin(phi) * s],
    [Math.cos(phi + lambda) * c, Math.sin(phi + lambda) * c],
  ]);
}

/** exp(−iθ Z⊗Z / 2) on two qubits (diagonal). */
export function rzzMatrix(theta: number): ComplexMatrix {
  const c = Math.cos(theta / 2);
  const s = Math.sin(theta / 2);
  const m = new Float64Array(32);
  const signs = [1, -1, -1, 1];
  for (let k = 0; k < 4; k++) {
    m[2 * (5 * k)] = c;
    m[2 * (5 * k) + 1] = -s * (signs[k] ?? 1);
  }
  return m;
}

export const SWAP = permutationMatrix([0, 2, 1, 3]);

/** Matrix with a 1 at (perm[c], c): maps basis state c to perm[c]. */
export function permutationMatrix(perm: readonly number[]): ComplexMatrix {
  const d = perm.length;
  const m = new Float64Array(2 * d * d);
  perm.forEach((r, c) => {
    m[2 * (r * d + c)] = 1;
  });
  return m;
}

export function diagonalMatrix(phases: readonly (readonly [number, number])[]): ComplexMatrix {
  const d = phases.length;
  const m = new Float64Array(2 * d * d);
  phases.forEach(([re, im], k) => {
    m[2 * (k * d + k)] = re;
    m[2 * (k * d + k) + 1] = im;
  });
  return m;
}

/** Multiplies a matrix by a real or complex scalar (returns a new matrix). */
export function scaleMatrix(m: ComplexMatrix, re: number, im = 0): ComplexMatrix {
  const out = new Float64Array(m.length);
  for (let i = 0; i < m.length; i += 2) {
    const a = m[i] ?? 0;
    const b = m[i + 1] ?? 0;
    out[i] = a * re - b * im;
    out[i + 1] = a * im + b * re;
  }
  return out;
}

export interface GateOptions {
  readonly controls?: readonly number[];
  readonly controlValues?: readonly (0 | 1)[];
  readonly derivatives?: UnitaryOp['derivatives'];
}

export function gate(label: string, matrix: ComplexMatrix, targets: readonly number[], o: GateOptions = {}): UnitaryOp {
  const controls = o.controls ?? [];
  const base = {
    type: 'unitary' as const,
    label,
    matrix,
    targets: [...targets],
    controls: [...controls],
    controlValues: o.controlValues ? [...o.controlValues] : controls.map(() => 1 as const),
  };
  return o.derivatives ? { ...base, derivatives: o.derivatives } : base;
}

/**
 * Fluent circuit builder. Parametric rotations take an optional parameter name: the op then carries ∂U/∂θ so that
 * adjoint gradients work (the parameter is registered in `circuit.parameters`).
 */
export class CircuitBuilder {
  readonly ops: Operation[] = [];
  private readonly params: string[] = [];
  private stack: Operation[][] = [];

  constructor(
    readonly numQubits: number,
    readonly numClbits = 0,
  ) {}

  private push(op: Operation): this {
    (this.stack.at(-1) ?? this.ops).push(op);
    return this;
  }

  private param(name: string | undefined): void {
    if (name !== undefined && !this.params.includes(name)) this.params.push(name);
  }

  op(op: Operation): this {
    return this.push(op);
  }
  unitary(label: string, matrix: ComplexMatrix, targets: readonly number[], o: GateOptions = {}): this {
    return this.push(gate(label, matrix, targets, o));
  }
  h(q: number): this {
    return this.unitary('h', H, [q]);
  }
  x(q: number): this {
    return this.unitary('x', X, [q]);
  }
  y(q: number): this {
    return this.unitary('y', Y, [q]);
  }
  z(q: number): this {
    return this.unitary('z', Z, [q]);
  }
  s(q: number): this {
    return this.unitary('s', S, [q]);
  }
  t(q: number): this {
    return this.unitary('t', T, [q]);
  }
  p(lambda: number, q: number): this {
    return this.unitary('p', phaseMatrix(lambda), [q]);
  }
  rx(theta: number, q: number, param?: string): this {
    this.param(param);
    // ∂/∂θ exp(−iθX/2) = (−i/2) X exp(−iθX/2)
    const deriv = param ? [{ param, matrix: mulMatrix(scaleMatrix(X, 0, -0.5), rxMatrix(theta)) }] : undefined;
    return this.unitary('rx', rxMatrix(theta), [q], deriv ? { derivatives: deriv } : {});
  }
  ry(theta: number, q: number, param?: string): this {
    this.param(param);
    const deriv = param ? [{ param, matrix: mulMatrix(scaleMatrix(Y, 0, -0.5), ryMatrix(theta)) }] : undefined;
    return this.unitary('ry', ryMatrix(theta), [q], deriv ? { derivatives: deriv } : {});
  }
  rz(theta: number, q: number, param?: string): this {
    this.param(param);
    const deriv = param ? [{ param, matrix: mulMatrix(scaleMatrix(Z, 0, -0.5), rzMatrix(theta)) }] : undefined;
    return this.unitary('rz', rzMatrix(theta), [q], deriv ? { derivatives: deriv } : {});
  }
  /** exp(−iθ ZZ/2); the derivative is (−i/2) ZZ · U. */
  rzz(theta: number, a: number, b: number, param?: string): this {
    this.param(param);
    const zz = diagonalMatrix([
      [1, 0],
      [-1, 0],
      [-1, 0],
      [1, 0],
    ]);
    const deriv = param ? [{ param, matrix: mulMatrix(scaleMatrix(zz, 0, -0.5), rzzMatrix(theta)) }] : undefined;
    return this.unitary('rzz', rzzMatrix(theta), [a, b], deriv ? { derivatives: deriv } : {});
  }
  u(theta: number, phi: number, lambda: number, q: number): this {
    return this.unitary('u', uMatrix(theta, phi, lambda), [q]);
  }
  cx(c: number, t: number): this {
    return this.unitary('cx', X, [t], { controls: [c] });
  }
  cz(c: number, t: number): this {
    return this.unitary('cz', Z, [t], { controls: [c] });
  }
  cp(lambda: number, c: number, t: number): this {
    return this.unitary('cp', phaseMatrix(lambda), [t], { controls: [c] });
  }
  ccx(c1: number, c2: number, t: number): this {
    return this.unitary('ccx', X, [t], { controls: [c1, c2] });
  }
  swap(a: number, b: number): this {
    return this.unitary('swap', SWAP, [a, b]);
  }
  gphase(angle: number): this {
    return this.push({ type: 'gphase', angle });
  }
  measure(qubit: number, clbit: number): this {
    return this.push({ type: 'measure', qubit, clbit });
  }
  measureAll(): this {
    for (let q = 0; q < this.numQubits; q++) this.measure(q, q);
    return this;
  }
  reset(qubit: number): this {
    return this.push({ type: 'reset', qubit });
  }
  barrier(...qubits: number[]): this {
    return this.push({ type: 'barrier', qubits });
  }
  noise(channel: NoiseChannel, ...qubits: number[]): this {
    return this.push({ type: 'noise', channel, qubits });
  }
  /** `if (condition) { then } else { otherwise }`, the branches built by callbacks on this builder. */
  ifThen(condition: Condition, then: (b: this) => void, otherwise?: (b: this) => void): this {
    this.stack.push([]);
    then(this);
    const thenOps = this.stack.pop() ?? [];
    this.stack.push([]);
    otherwise?.(this);
    const elseOps = this.stack.pop() ?? [];
    return this.push({ type: 'if', condition, then: thenOps, else: elseOps });
  }
  build(): Circuit {
    return {
      numQubits: this.numQubits,
      numClbits: this.numClbits,
      qubitRegisters: [{ name: 'q', start: 0, size: this.numQubits }],
      clbitRegisters: this.numClbits > 0 ? [{ name: 'c', start: 0, size: this.numClbits }] : [],
      ops: [...this.ops],
      parameters: [...this.params],
    };
  }
}

/** Product a·b of two square interleaved matrices of the same dimension. */
export function mulMatrix(a: ComplexMatrix, b: ComplexMatrix): ComplexMatrix {
  const d = Math.round(Math.sqrt(a.length / 2));
  const out = new Float64Array(a.length);
  for (let r = 0; r < d; r++) {
    for (let c = 0; c < d; c++) {
      let re = 0;
      let im = 0;
      for (let k = 0; k < d; k++) {
        const ar = a[2 * (r * d + k)] ?? 0;
        const ai = a[2 * (r * d + k) + 1] ?? 0;
        const br = b[2 * (k * d + c)] ?? 0;
        const bi = b[2 * (k * d + c) + 1] ?? 0;
        re += ar * br - ai * bi;
        im += ar * bi + ai * br;
      }
      out[2 * (r * d + c)] = re;
      out[2 * (r * d + c) + 1] = im;
    }
  }
  return out;
}
