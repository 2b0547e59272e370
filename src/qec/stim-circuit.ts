/**
 * Stim's circuit text, for the subset that QEC memory experiments use: resets (R, RX), measurements (M, MX, MR),
 * Clifford gates (H, S, CX/CNOT, CZ), Pauli noise (X_ERROR, Y_ERROR, Z_ERROR, DEPOLARIZE1, DEPOLARIZE2),
 * annotations (TICK, DETECTOR, OBSERVABLE_INCLUDE, SHIFT_COORDS, QUBIT_COORDS) and REPEAT blocks with `rec[-k]`
 * targets. Reading flattens REPEAT blocks into one list of operations with absolute measurement indices, checking
 * every `rec` target against the measurements made so far; problems are diagnostics with their line.
 */
import type { Diagnostic } from '../shared/diagnostic.js';
import { fail, ok, QEC_LIMITS, qecDiagnostic } from './diagnostics.js';
import type { QecResult } from './diagnostics.js';
import { readInstructionLines, type InstructionLine, type LineFormat } from './instruction-lines.js';

export const GATE_KINDS = {
  R: 'reset_z',
  RX: 'reset_x',
  M: 'measure_z',
  MX: 'measure_x',
  MR: 'measure_reset_z',
  H: 'h',
  S: 's',
  CX: 'cx',
  CNOT: 'cx',
  CZ: 'cz',
  X_ERROR: 'x_error',
  Y_ERROR: 'y_error',
  Z_ERROR: 'z_error',
  DEPOLARIZE1: 'depolarize1',
  DEPOLARIZE2: 'depolarize2',
} as const;
export type GateKind = (typeof GATE_KINDS)[keyof typeof GATE_KINDS];

/** One flattened operation. Gates carry qubits; DETECTOR and OBSERVABLE_INCLUDE carry absolute measurement ids. */
export type CircuitOp =
  | { readonly kind: GateKind; readonly p: number; readonly qubits: readonly number[]; readonly line: number }
  | {
      readonly kind: 'detector';
      readonly id: number;
      readonly measurements: readonly number[];
      readonly coords: readonly number[];
      readonly line: number;
    }
  | {
      readonly kind: 'observable';
      readonly id: number;
      readonly measurements: readonly number[];
      readonly line: number;
    };

export interface StimCircuit {
  readonly ops: readonly CircuitOp[];
  readonly numQubits: number;
  readonly numMeasurements: number;
  readonly numDetectors: number;
  readonly numObservables: number;
}

type Line = InstructionLine;

const HEAD = /^([A-Za-z_][A-Za-z0-9_]*)(?:\(([^)]*)\))?\s*(.*)$/;
const TWO_QUBIT = new Set<GateKind>(['cx', 'cz', 'depolarize2']);
const NOISE = new Set<GateKind>(['x_error', 'y_error', 'z_error', 'depolarize1', 'depolarize2']);

const FORMAT: LineFormat = { source: 'stim', repeat: 'REPEAT', head: HEAD, maxDiagnostics: 50 };

function structure(text: string, diags: Diagnostic[]): Line[] {
  return readInstructionLines(text, FORMAT, diags);
}

/** Reads a Stim circuit; fails with every problem found, each with its line. */
export function parseStimCircuit(text: string): QecResult<StimCircuit> {
  const diags: Diagnostic[] = [];
  const lines = structure(text, diags);
  const ops: CircuitOp[] = [];
  let numQubits = 0;
  let numMeasurements = 0;
  let numDetectors = 0;
  let numObservables = 0;
  let coordShift: number[] = [];
  let work = 0;

  const recTargets = (line: Line): number[] | undefined => {
    const out: number[] = [];
    for (const t of line.targets) {
      const m = /^rec\[-(\d+)\]$/.exec(t);
      const k = m ? Number(m[1]) : NaN;
      if (!m || !(k >= 1)) {
        diags.push(
          qecDiagnostic('stim', 'bad_target', `'${t}' is not a measurement record target like rec[-1]`, line.no),
        );
        return undefined;
      }
      if (k > numMeasurements) {
        diags.push(
          qecDiagnostic(
            'stim',
            'rec_out_of_range',
            `${t} looks back ${k} measurements but only ${numMeasurements} were made so far`,
            line.no,
          ),
        );
        return undefined;
      }
      out.push(numMeasurements - k);
    }
    return out;
  };

  const run = (block: readonly Line[]): boolean => {
    for (const line of block) {
      if (diags.length > 0) return false;
      if (++work > QEC_LIMITS.maxUnrolled) {
        diags.push(
          qecDiagnostic(
            'stim',
            'too_large',
            `the circuit unrolls to more than ${QEC_LIMITS.maxUnrolled} lines`,
            line.no,
          ),
        );
        return false;
      }
      const name = line.name;
      if (name === 'REPEAT') {
        const n = Number(line.targets[0]);
        if (line.targets.length !== 1 || !Number.isSafeInteger(n) || n < 0) {
          diags.push(qecDiagnostic('stim', 'bad_repeat', 'REPEAT needs one non-negative whole count', line.no));
          return false;
        }
        for (let k = 0; k < n; k++) if (!run(line.body ?? [])) return false;
        continue;
      }
      if (name === 'TICK' || name === 'QUBIT_COORDS') continue;
      if (name === 'SHIFT_COORDS') {
        coordShift = line.args.map((a, i) => a + (coordShift[i] ?? 0)).concat(coordShift.slice(line.args.length));
        continue;
      }
      if (name === 'DETECTOR') {
        const ms = recTargets(line);
        if (!ms) return false;
        ops.push({
          kind: 'detector',
          id: numDetectors++,
          measurements: ms,
          coords: line.args.map((a, i) => a + (coordShift[i] ?? 0)),
          line: line.no,
        });
        continue;
      }
      if (name === 'OBSERVABLE_INCLUDE') {
        const id = line.args[0];
        if (
          line.args.length !== 1 ||
          id === undefined ||
          !Number.isInteger(id) ||
          id < 0 ||
          id >= QEC_LIMITS.maxObservables
        ) {
          diags.push(
            qecDiagnostic(
              'stim',
              'bad_argument',
              `OBSERVABLE_INCLUDE needs one observable index from 0 to ${QEC_LIMITS.maxObservables - 1}`,
              line.no,
            ),
          );
          return false;
        }
        const ms = recTargets(line);
        if (!ms) return false;
        numObservables = Math.max(numObservables, id + 1);
        ops.push({ kind: 'observable', id, measurements: ms, line: line.no });
        continue;
      }
      const kind = (GATE_KINDS as Record<string, GateKind | undefined>)[name];
      if (kind === undefined) {
        diags.push(
          qecDiagnostic(
            'stim',
            'unknown_instruction',
            `unknown or unsupported instruction '${name}' (supported: ${Object.keys(GATE_KINDS).join(', ')}, TICK, DETECTOR, OBSERVABLE_INCLUDE, SHIFT_COORDS, QUBIT_COORDS, REPEAT)`,
            line.no,
          ),
        );
        return false;
      }
      const qubits: number[] = [];
      for (const t of line.targets) {
        const q = /^\d+$/.test(t) ? Number(t) : NaN;
        if (!(q >= 0 && q < QEC_LIMITS.maxQubits)) {
          diags.push(
            qecDiagnostic(
              'stim',
              'bad_target',
              `'${t}' is not a qubit index for ${name} (0 to ${QEC_LIMITS.maxQubits - 1})`,
              line.no,
            ),
          );
          return false;
        }
        qubits.push(q);
        numQubits = Math.max(numQubits, q + 1);
      }
      if (TWO_QUBIT.has(kind) && qubits.length % 2 !== 0) {
        diags.push(
          qecDiagnostic(
            'stim',
            'odd_targets',
            `${name} acts on pairs of qubits but got ${qubits.length} targets`,
            line.no,
          ),
        );
        return false;
      }
      if (TWO_QUBIT.has(kind)) {
        for (let i = 0; i < qubits.length; i += 2) {
          if (qubits[i] === qubits[i + 1]) {
            diags.push(qecDiagnostic('stim', 'bad_target', `${name} pairs qubit ${qubits[i]} with itself`, line.no));
            return false;
          }
        }
      }
      let p = 0;
      if (NOISE.has(kind)) {
        const a = line.args[0];
        if (line.args.length !== 1 || a === undefined || !(a >= 0 && a <= 1)) {
          diags.push(
            qecDiagnostic('stim', 'bad_probability', `${name} needs one probability between 0 and 1`, line.no),
          );
          return false;
        }
        p = a;
      } else if (
        line.args.length > 0 &&
        !(kind.startsWith('measure') && line.args.length === 1 && line.args[0] === 0)
      ) {
        diags.push(qecDiagnostic('stim', 'bad_argument', `${name} takes no arguments here`, line.no));
        return false;
      }
      if (kind.startsWith('measure')) numMeasurements += qubits.length;
      ops.push({ kind, p, qubits, line: line.no });
    }
    return true;
  };
  if (diags.length === 0) run(lines);
  if (diags.length > 0) return fail(diags);
  return ok({ ops, numQubits, numMeasurements, numDetectors, numObservables });
}
