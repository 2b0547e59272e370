/**
 * Converts a circuit to the text format of Google's qsim (`qsim_base`, `qsim_base_cuda`): the qubit count on the
 * first line, then one gate a line as `time name qubits… params…`. qsim has no generic matrix gate in this format,
 * so a one-qubit gate is written by name when qsim knows it and otherwise as its Z-Y-Z Euler angles
 * (rz · ry · rz, equal up to a global phase); controlled phases become `cp` (qsim's cp multiplies |11⟩ by e^{−iφ},
 * so the angle is negated), cx/cz/swap keep their names. Measurements become one final `m` over every qubit.
 * Only what the benchmark circuits use is supported; anything else is an error naming the gate.
 */
import type { Circuit, UnitaryOp } from '../src/quantum/index.js';

const NAMED_ONE = new Set(['h', 'x', 'y', 'z', 's', 't']);

export function toQsimText(circuit: Circuit): string {
  const lines: string[] = [String(circuit.numQubits)];
  const free = new Array<number>(circuit.numQubits).fill(0);
  let measured = false;
  const emit = (qubits: readonly number[], text: string): void => {
    let time = 0;
    for (const q of qubits) time = Math.max(time, free[q] ?? 0);
    for (const q of qubits) free[q] = time + 1;
    lines.push(`${time} ${text}`);
  };
  for (const op of circuit.ops) {
    if (op.type === 'measure') {
      measured = true;
      continue;
    }
    if (op.type === 'barrier') continue;
    if (op.type !== 'unitary') throw new Error(`qsim format: unsupported operation ${op.type}`);
    for (const [qubits, text] of gateLines(op)) emit(qubits, text);
  }
  if (measured) {
    let time = 0;
    for (const t of free) time = Math.max(time, t);
    lines.push(`${time} m ${Array.from({ length: circuit.numQubits }, (_, q) => q).join(' ')}`);
  }
  return `${lines.join('\n')}\n`;
}

function gateLines(op: UnitaryOp): [readonly number[], string][] {
  const m = op.matrix;
  const [t] = op.targets;
  if (op.targets.length === 2 && op.controls.length === 0 && op.label === 'swap') {
    return [[op.targets, `sw ${op.targets.join(' ')}`]];
  }
  if (t === undefined || op.targets.length !== 1) throw new Error(`qsim format: unsupported gate ${op.label}`);
  if (op.controls.length === 1 && op.controlValues[0] === 1) {
    const c = op.controls[0] ?? 0;
    if (op.label === 'cx') return [[[c, t], `cx ${c} ${t}`]];
    if (op.label === 'cz') return [[[c, t], `cz ${c} ${t}`]];
    if (op.label === 'cp') {
      const phase = Math.atan2(m[7] ?? 0, m[6] ?? 0);
      return [[[c, t], `cp ${c} ${t} ${fmt(-phase)}`]];
    }
    throw new Error(`qsim format: unsupported controlled gate ${op.label}`);
  }
  if (op.controls.length > 0) throw new Error(`qsim format: unsupported controlled gate ${op.label}`);
  if (NAMED_ONE.has(op.label)) return [[[t], `${op.label} ${t}`]];
  const [a, b, g] = zyz(m);
  return [
    [[t], `rz ${t} ${fmt(g)}`],
    [[t], `ry ${t} ${fmt(b)}`],
    [[t], `rz ${t} ${fmt(a)}`],
  ];
}

/**
 * Euler angles (α, β, γ) with U = e^{iδ} rz(α) ry(β) rz(γ), rz(θ) = diag(e^{−iθ/2}, e^{iθ/2}), for a 2×2 unitary
 * (row-major, interleaved).
 */
export function zyz(m: ArrayLike<number>): [number, number, number] {
  const abs = (re: number, im: number): number => Math.hypot(re, im);
  const arg = (re: number, im: number): number => Math.atan2(im, re);
  const [u00r = 0, u00i = 0, , , u10r = 0, u10i = 0, u11r = 0, u11i = 0] = Array.from(m);
  const beta = 2 * Math.atan2(abs(u10r, u10i), abs(u00r, u00i));
  // u00 = e^{i(δ − (α+γ)/2)} cos(β/2), u10 = e^{i(δ + (α−γ)/2)} sin(β/2), u11 = e^{i(δ + (α+γ)/2)} cos(β/2).
  if (abs(u00r, u00i) < 1e-12) {
    // β = π: only α − γ matters.
    const u01 = arg(m[2] ?? 0, m[3] ?? 0);
    return [arg(u10r, u10i) - u01 - Math.PI, beta, 0];
  }
  if (abs(u10r, u10i) < 1e-12) return [arg(u11r, u11i) - arg(u00r, u00i), 0, 0];
  const sum = arg(u11r, u11i) - arg(u00r, u00i); // α + γ
  const diff = 2 * (arg(u10r, u10i) - arg(u00r, u00i)) - sum; // α − γ
  return [(sum + diff) / 2, beta, (sum - diff) / 2];
}

function fmt(x: number): string {
  return x.toPrecision(17);
}
