/**
 * A deliberately small OpenQASM 2/3 interpreter used only until the project's quantum engine is wired in:
 * register declarations, `input` parameters, the standard one-, two- and three-qubit gates (optionally with
 * angle expressions), `barrier`, and measurements at the end of the circuit, simulated exactly on a state vector
 * of at most 20 qubits. Anything else (custom gates, control flow, mid-circuit measurement, reset) is refused with
 * an `unsupported` error naming the statement, never approximated.
 */
import { MamlError } from '../../shared/index.js';
import type { QasmEngine, QasmRun } from './executor.js';

const MAX_QUBITS = 20;

type Complex = readonly [number, number];
type Matrix = readonly [Complex, Complex, Complex, Complex];

const c = (re: number, im = 0): Complex => [re, im];
const expi = (theta: number): Complex => [Math.cos(theta), Math.sin(theta)];
const SQRT1_2 = Math.SQRT1_2;

/** U(θ, φ, λ) as defined in the OpenQASM 3 specification (§ standard gate library). */
function u3(theta: number, phi: number, lambda: number): Matrix {
  const cos = Math.cos(theta / 2);
  const sin = Math.sin(theta / 2);
  const el = expi(lambda);
  const ep = expi(phi);
  const epl = expi(phi + lambda);
  return [c(cos), [-el[0] * sin, -el[1] * sin], [ep[0] * sin, ep[1] * sin], [epl[0] * cos, epl[1] * cos]];
}

const phase = (lambda: number): Matrix => [c(1), c(0), c(0), expi(lambda)];

const ONE_QUBIT: Readonly<Record<string, { params: number; matrix: (p: readonly number[]) => Matrix }>> = {
  id: { params: 0, matrix: () => [c(1), c(0), c(0), c(1)] },
  x: { params: 0, matrix: () => [c(0), c(1), c(1), c(0)] },
  y: { params: 0, matrix: () => [c(0), c(0, -1), c(0, 1), c(0)] },
  z: { params: 0, matrix: () => phase(Math.PI) },
  h: { params: 0, matrix: () => [c(SQRT1_2), c(SQRT1_2), c(SQRT1_2), c(-SQRT1_2)] },
  s: { params: 0, matrix: () => phase(Math.PI / 2) },
  sdg: { params: 0, matrix: () => phase(-Math.PI / 2) },
  t: { params: 0, matrix: () => phase(Math.PI / 4) },
  tdg: { params: 0, matrix: () => phase(-Math.PI / 4) },
  sx: { params: 0, matrix: () => [c(0.5, 0.5), c(0.5, -0.5), c(0.5, -0.5), c(0.5, 0.5)] },
  rx: {
    params: 1,
    matrix: ([t = 0]) => [c(Math.cos(t / 2)), c(0, -Math.sin(t / 2)), c(0, -Math.sin(t / 2)), c(Math.cos(t / 2))],
  },
  ry: {
    params: 1,
    matrix: ([t = 0]) => [c(Math.cos(t / 2)), c(-Math.sin(t / 2)), c(Math.sin(t / 2)), c(Math.cos(t / 2))],
  },
  rz: { params: 1, matrix: ([t = 0]) => [expi(-t / 2), c(0), c(0), expi(t / 2)] },
  p: { params: 1, matrix: ([l = 0]) => phase(l) },
  phase: { params: 1, matrix: ([l = 0]) => phase(l) },
  u1: { params: 1, matrix: ([l = 0]) => phase(l) },
  u2: { params: 2, matrix: ([p = 0, l = 0]) => u3(Math.PI / 2, p, l) },
  u3: { params: 3, matrix: ([t = 0, p = 0, l = 0]) => u3(t, p, l) },
  u: { params: 3, matrix: ([t = 0, p = 0, l = 0]) => u3(t, p, l) },
  U: { params: 3, matrix: ([t = 0, p = 0, l = 0]) => u3(t, p, l) },
};

/** Controlled gates: number of controls and the target gate. */
const CONTROLLED: Readonly<Record<string, { controls: number; base: string }>> = {
  cx: { controls: 1, base: 'x' },
  CX: { controls: 1, base: 'x' },
  cnot: { controls: 1, base: 'x' },
  cy: { controls: 1, base: 'y' },
  cz: { controls: 1, base: 'z' },
  ch: { controls: 1, base: 'h' },
  cp: { controls: 1, base: 'p' },
  cu1: { controls: 1, base: 'u1' },
  cphase: { controls: 1, base: 'p' },
  crx: { controls: 1, base: 'rx' },
  cry: { controls: 1, base: 'ry' },
  crz: { controls: 1, base: 'rz' },
  ccx: { controls: 2, base: 'x' },
  toffoli: { controls: 2, base: 'x' },
};

function unsupported(statement: string): MamlError {
  return new MamlError(
    'unsupported',
    `the built-in fallback OpenQASM engine does not support \`${statement.trim().slice(0, 80)}\`; it handles register declarations, input parameters, standard gates and final measurements only`,
  );
}

/** Angle expressions: numbers, pi/π/tau, bound inputs, + - * / ^ and parentheses. */
function evaluate(expr: string, vars: Readonly<Record<string, number>>, statement: string): number {
  const tokens = expr.match(/\d+\.?\d*(?:e[+-]?\d+)?|\.\d+|[A-Za-z_π][A-Za-z0-9_]*|[-+*/^()]/g) ?? [];
  let pos = 0;
  const peek = (): string | undefined => tokens[pos];
  const primary = (): number => {
    const token = tokens[pos++];
    if (token === undefined) throw unsupported(statement);
    if (token === '(') {
      const value = sum();
      if (tokens[pos++] !== ')') throw unsupported(statement);
      return value;
    }
    if (token === '-') return -power();
    if (token === '+') return power();
    if (token === 'pi' || token === 'π') return Math.PI;
    if (token === 'tau' || token === 'τ') return 2 * Math.PI;
    if (/^[\d.]/.test(token)) return Number(token);
    const bound = vars[token];
    if (bound === undefined) throw unsupported(statement);
    return bound;
  };
  const power = (): number => {
    const base = primary();
    if (peek() === '^') {
      pos++;
      return base ** power();
    }
    return base;
  };
  const product = (): number => {
    let value = power();
    while (peek() === '*' || peek() === '/') value = tokens[pos++] === '*' ? value * power() : value / power();
    return value;
  };
  const sum = (): number => {
    let value = product();
    while (peek() === '+' || peek() === '-') value = tokens[pos++] === '+' ? value + product() : value - product();
    return value;
  };
  const value = sum();
  if (pos !== tokens.length || !Number.isFinite(value)) throw unsupported(statement);
  return value;
}

interface Register {
  readonly name: string;
  readonly start: number;
  readonly size: number;
}

/** Splits `a, b` at top-level commas. */
function splitArgs(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(current.trim());
      current = '';
    } else current += ch;
  }
  if (current.trim() !== '') out.push(current.trim());
  return out;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const fallbackQasmEngine: QasmEngine = (source, inputs, options) => {
  const text = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/[^\n]*/g, '');
  const qregs: Register[] = [];
  const cregs: Register[] = [];
  let nq = 0;
  let nc = 0;
  const vars: Record<string, number> = {};
  const ops: { apply: (state: State) => void }[] = [];
  const measured = new Map<number, number>(); // clbit → qubit

  const resolve = (regs: Register[], arg: string, statement: string): number[] => {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)\s*(?:\[\s*(\d+)\s*\])?$/.exec(arg);
    const reg = regs.find((r) => r.name === match?.[1]);
    if (!match || !reg) throw unsupported(statement);
    if (match[2] === undefined) return Array.from({ length: reg.size }, (_, i) => reg.start + i);
    const index = Number(match[2]);
    if (index >= reg.size) throw new MamlError('block_failed', `index out of range in \`${statement}\``);
    return [reg.start + index];
  };

  for (const raw of text.split(';')) {
    const statement = raw.trim().replace(/\s+/g, ' ');
    if (statement === '') continue;
    let m: RegExpExecArray | null;
    if (/^(OPENQASM|include|barrier)\b/.test(statement)) continue;
    if (
      (m = /^qubit(?:\[(\d+)\])? ([A-Za-z_]\w*)$/.exec(statement)) ||
      (m = /^qreg ([A-Za-z_]\w*)\[(\d+)\]$/.exec(statement))
    ) {
      const [name, size] = statement.startsWith('qreg') ? [m[1], m[2]] : [m[2], m[1] ?? '1'];
      qregs.push({ name: name ?? '', start: nq, size: Number(size) });
      nq += Number(size);
      continue;
    }
    if (
      (m = /^bit(?:\[(\d+)\])? ([A-Za-z_]\w*)$/.exec(statement)) ||
      (m = /^creg ([A-Za-z_]\w*)\[(\d+)\]$/.exec(statement))
    ) {
      const [name, size] = statement.startsWith('creg') ? [m[1], m[2]] : [m[2], m[1] ?? '1'];
      cregs.push({ name: name ?? '', start: nc, size: Number(size) });
      nc += Number(size);
      continue;
    }
    if ((m = /^input (?:float|angle|int|uint)(?:\[\d+\])? ([A-Za-z_]\w*)$/.exec(statement))) {
      const name = m[1] ?? '';
      const value = inputs[name];
      if (typeof value !== 'number')
        throw new MamlError('block_failed', `OpenQASM input \`${name}\` needs a numeric value in the block's inputs`);
      vars[name] = value;
      continue;
    }
    if ((m = /^measure (.+?) -> (.+)$/.exec(statement)) || (m = /^(.+?) = measure (.+)$/.exec(statement))) {
      const arrow = statement.startsWith('measure');
      const q = resolve(qregs, (arrow ? m[1] : m[2]) ?? '', statement);
      const cl = resolve(cregs, (arrow ? m[2] : m[1]) ?? '', statement);
      if (q.length !== cl.length) throw unsupported(statement);
      q.forEach((qubit, i) => measured.set(cl[i] ?? 0, qubit));
      continue;
    }
    if ((m = /^([A-Za-z_]\w*)\s*(?:\((.*)\))?\s+(.+)$/.exec(statement))) {
      const name = m[1] ?? '';
      const params = m[2] === undefined ? [] : splitArgs(m[2]).map((p) => evaluate(p, vars, statement));
      const args = splitArgs(m[3] ?? '').map((a) => resolve(qregs, a, statement));
      const controlled = CONTROLLED[name];
      const baseName = controlled ? controlled.base : name === 'swap' ? 'swap' : name;
      const controls = controlled?.controls ?? (name === 'swap' ? 1 : 0);
      const gate = ONE_QUBIT[baseName];
      if ((!gate && name !== 'swap') || (gate && gate.params !== params.length) || args.length !== controls + 1)
        throw unsupported(statement);
      const width = Math.max(...args.map((a) => a.length));
      if (args.some((a) => a.length !== 1 && a.length !== width)) throw unsupported(statement);
      for (let k = 0; k < width; k++) {
        const qubits = args.map((a) => (a.length === 1 ? (a[0] ?? 0) : (a[k] ?? 0)));
        if (qubits.some((q) => [...measured.values()].includes(q)))
          throw new MamlError(
            'unsupported',
            `the built-in fallback OpenQASM engine does not support gates after a measurement (\`${statement}\`)`,
          );
        if (new Set(qubits).size !== qubits.length)
          throw new MamlError('block_failed', `a gate uses the same qubit twice in \`${statement}\``);
        const target = qubits[qubits.length - 1] ?? 0;
        const matrix = gate?.matrix(params);
        const apply = matrix
          ? (s: State) => s.apply(matrix, target, qubits.slice(0, -1))
          : (s: State) => s.swap(qubits[0] ?? 0, target);
        ops.push({ apply });
      }
      continue;
    }
    throw unsupported(statement);
  }
  if (nq > MAX_QUBITS)
    throw new MamlError(
      'resource_limit',
      `the fallback OpenQASM engine simulates at most ${MAX_QUBITS} qubits; this program declares ${nq}`,
    );
  const state = new State(nq);
  for (const op of ops) op.apply(state);
  let clbits: { clbit: number; qubit: number }[];
  if (measured.size === 0) clbits = Array.from({ length: nq }, (_, i) => ({ clbit: i, qubit: i }));
  else clbits = [...measured.entries()].map(([clbit, qubit]) => ({ clbit, qubit }));
  const width = measured.size === 0 ? nq : nc;
  const outcome = new Map<string, number>();
  for (let index = 0; index < state.size; index++) {
    const p = state.probability(index);
    if (p < 1e-15) continue;
    const bits = Array.from({ length: width }, () => '0');
    for (const { clbit, qubit } of clbits) bits[width - 1 - clbit] = (index >> qubit) & 1 ? '1' : '0';
    const key = bits.join('');
    outcome.set(key, (outcome.get(key) ?? 0) + p);
  }
  const keys = [...outcome.keys()].sort();
  const random = mulberry32(options.seed ?? Math.floor(Math.random() * 2 ** 32));
  const counts: Record<string, number> = {};
  for (let shot = 0; shot < options.shots; shot++) {
    let r = random();
    let chosen = keys[keys.length - 1] ?? '';
    for (const key of keys) {
      r -= outcome.get(key) ?? 0;
      if (r < 0) {
        chosen = key;
        break;
      }
    }
    counts[chosen] = (counts[chosen] ?? 0) + 1;
  }
  const run: QasmRun = options.probabilities
    ? { counts, probabilities: Object.fromEntries(keys.map((k) => [k, outcome.get(k) ?? 0])) }
    : { counts };
  return Promise.resolve(run);
};

class State {
  readonly size: number;
  private readonly re: Float64Array;
  private readonly im: Float64Array;

  constructor(qubits: number) {
    this.size = 2 ** qubits;
    this.re = new Float64Array(this.size);
    this.im = new Float64Array(this.size);
    this.re[0] = 1;
  }

  apply(m: Matrix, target: number, controls: readonly number[]): void {
    const bit = 1 << target;
    const mask = controls.reduce((acc, q) => acc | (1 << q), 0);
    const [[ar, ai], [br, bi], [cr, ci], [dr, di]] = m;
    for (let i = 0; i < this.size; i++) {
      if (i & bit || (i & mask) !== mask) continue;
      const j = i | bit;
      const xr = this.re[i] ?? 0;
      const xi = this.im[i] ?? 0;
      const yr = this.re[j] ?? 0;
      const yi = this.im[j] ?? 0;
      this.re[i] = ar * xr - ai * xi + br * yr - bi * yi;
      this.im[i] = ar * xi + ai * xr + br * yi + bi * yr;
      this.re[j] = cr * xr - ci * xi + dr * yr - di * yi;
      this.im[j] = cr * xi + ci * xr + dr * yi + di * yr;
    }
  }

  swap(a: number, b: number): void {
    for (let i = 0; i < this.size; i++) {
      const bitA = (i >> a) & 1;
      const bitB = (i >> b) & 1;
      if (bitA === 1 && bitB === 0) {
        const j = (i & ~(1 << a)) | (1 << b);
        [this.re[i], this.re[j]] = [this.re[j] ?? 0, this.re[i] ?? 0];
        [this.im[i], this.im[j]] = [this.im[j] ?? 0, this.im[i] ?? 0];
      }
    }
  }

  probability(index: number): number {
    return (this.re[index] ?? 0) ** 2 + (this.im[index] ?? 0) ** 2;
  }
}
