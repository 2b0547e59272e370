/**
 * Circuit → detector error model. One backward pass over the flattened circuit keeps, for every qubit, the set of
 * detectors and observables that an X (resp. Z) error at the current point would flip ("sensitivity"); at a noise
 * instruction each Pauli it can apply becomes an error mechanism with that symptom set. Gates conjugate the sets
 * (CX: X_c ← X_c ⊕ X_t, Z_t ← Z_t ⊕ Z_c), measurements add the detectors that read them, resets clear them.
 *
 * Depolarising channels become independent X/Y/Z (or 15 two-qubit) mechanisms with Stim's conversion
 * q = ½ − ½(1 − 4p/3)^{1/2} and q = ½ − ½(1 − 16p/15)^{1/8}. Mechanisms with the same symptoms merge.
 * For matching, each mechanism is split into graph-like parts (at most two detectors each): first by its
 * single-qubit X and Z parts, then by pairs that are themselves known graph-like mechanisms; one that cannot be
 * split is a diagnostic on the line of its noise instruction.
 */
/* eslint-disable @typescript-eslint/no-non-null-assertion -- bitset index arithmetic, in range by construction */
import type { Diagnostic } from '../shared/diagnostic.js';
import type { DemComponent, DemError, DetectorErrorModel } from './dem.js';
import { fail, ok, QEC_LIMITS, qecDiagnostic } from './diagnostics.js';
import type { QecResult } from './diagnostics.js';
import type { StimCircuit } from './stim-circuit.js';

type Bits = Uint32Array;

interface Mechanism {
  /** Symptom parts (X part, Z part), each a sorted list of ids (detectors first, then observables). */
  readonly parts: number[][];
  /** Finer parts (single-qubit Paulis) to try when a part is not graph-like. */
  readonly fine: number[][];
  readonly p: number;
  readonly line: number;
}

export function depolarize1Independent(p: number): number {
  return 0.5 - 0.5 * Math.sqrt(Math.max(0, 1 - (4 * p) / 3));
}

export function depolarize2Independent(p: number): number {
  return 0.5 - 0.5 * Math.pow(Math.max(0, 1 - (16 * p) / 15), 1 / 8);
}

export function circuitToDem(c: StimCircuit): QecResult<DetectorErrorModel> {
  const nd = c.numDetectors;
  const ids = nd + c.numObservables;
  if (c.numQubits * ids > QEC_LIMITS.maxSensitivityBits) {
    return fail([
      qecDiagnostic(
        'stim',
        'too_large',
        `${c.numQubits} qubits × ${ids} detectors and observables is too large to analyse (limit ${QEC_LIMITS.maxSensitivityBits} bits); use fewer rounds`,
        1,
      ),
    ]);
  }
  const words = Math.max(1, Math.ceil(ids / 32));
  const sx: Bits[] = Array.from({ length: c.numQubits }, () => new Uint32Array(words));
  const sz: Bits[] = Array.from({ length: c.numQubits }, () => new Uint32Array(words));
  // Which detectors/observables read each measurement.
  const readers: number[][] = Array.from({ length: c.numMeasurements }, () => []);
  const coords = new Map<number, readonly number[]>();
  let m = 0;
  for (const op of c.ops) {
    if (op.kind === 'detector') {
      for (const r of op.measurements) readers[r]!.push(op.id);
      if (op.coords.length > 0) coords.set(op.id, op.coords);
    } else if (op.kind === 'observable') for (const r of op.measurements) readers[r]!.push(nd + op.id);
    else if (op.kind.startsWith('measure')) m += op.qubits.length;
  }
  const mechanisms: Mechanism[] = [];
  const list = (b: Bits): number[] => {
    const out: number[] = [];
    for (let w = 0; w < words; w++) {
      let v = b[w]!;
      while (v !== 0) {
        const low = v & -v;
        out.push(32 * w + (31 - Math.clz32(low)));
        v = (v ^ low) >>> 0;
      }
    }
    return out;
  };
  const xorInto = (dst: Bits, src: Bits): void => {
    for (let w = 0; w < words; w++) dst[w]! ^= src[w]!;
  };
  const toggleReaders = (dst: Bits, rec: number): void => {
    for (const id of readers[rec]!) dst[id >> 5]! ^= 1 << (id & 31);
  };
  const add = (parts: number[][], p: number, line: number, fine: number[][] = parts): void => {
    if (p > 0) mechanisms.push({ parts, p, line, fine });
  };
  for (let i = c.ops.length - 1; i >= 0; i--) {
    const op = c.ops[i]!;
    switch (op.kind) {
      case 'detector':
      case 'observable':
        break;
      case 'h':
        for (const q of op.qubits) {
          const t = sx[q]!;
          sx[q] = sz[q]!;
          sz[q] = t;
        }
        break;
      case 's':
        // Forward S maps X → Y: an X error before S acts as X·Z after it.
        for (const q of op.qubits) xorInto(sx[q]!, sz[q]!);
        break;
      case 'cx':
        for (let k = op.qubits.length - 2; k >= 0; k -= 2) {
          const a = op.qubits[k]!;
          const b = op.qubits[k + 1]!;
          xorInto(sx[a]!, sx[b]!);
          xorInto(sz[b]!, sz[a]!);
        }
        break;
      case 'cz':
        for (let k = op.qubits.length - 2; k >= 0; k -= 2) {
          const a = op.qubits[k]!;
          const b = op.qubits[k + 1]!;
          xorInto(sx[a]!, sz[b]!);
          xorInto(sx[b]!, sz[a]!);
        }
        break;
      case 'reset_z':
      case 'reset_x':
        for (const q of op.qubits) {
          sx[q]!.fill(0);
          sz[q]!.fill(0);
        }
        break;
      case 'measure_z':
      case 'measure_reset_z':
      case 'measure_x':
        for (let k = op.qubits.length - 1; k >= 0; k--) {
          const q = op.qubits[k]!;
          m--;
          if (op.kind === 'measure_reset_z') {
            sx[q]!.fill(0);
            sz[q]!.fill(0);
          }
          toggleReaders(op.kind === 'measure_x' ? sz[q]! : sx[q]!, m);
        }
        break;
      case 'x_error':
        for (const q of op.qubits) add([list(sx[q]!)], op.p, op.line);
        break;
      case 'z_error':
        for (const q of op.qubits) add([list(sz[q]!)], op.p, op.line);
        break;
      case 'y_error':
        for (const q of op.qubits) add([list(sx[q]!), list(sz[q]!)], op.p, op.line);
        break;
      case 'depolarize1': {
        const p = depolarize1Independent(op.p);
        for (const q of op.qubits) {
          const X = list(sx[q]!);
          const Z = list(sz[q]!);
          add([X], p, op.line);
          add([Z], p, op.line);
          add([X, Z], p, op.line);
        }
        break;
      }
      case 'depolarize2': {
        const p = depolarize2Independent(op.p);
        for (let k = 0; k < op.qubits.length; k += 2) {
          const a = op.qubits[k]!;
          const b = op.qubits[k + 1]!;
          const singles = [list(sx[a]!), list(sz[a]!), list(sx[b]!), list(sz[b]!)];
          for (let pauli = 1; pauli < 16; pauli++) {
            // Parts: the X part and the Z part of the two-qubit Pauli (in CSS circuits, each flips one type of
            // detector), falling back to single-qubit parts when one of those is not graph-like.
            const xs: number[][] = [];
            const zs: number[][] = [];
            for (let j = 0; j < 4; j++) if (pauli & (1 << j)) (j % 2 === 0 ? xs : zs).push(singles[j]!);
            add([xorLists(xs), xorLists(zs)], p, op.line, [...xs, ...zs]);
          }
        }
        break;
      }
      default: {
        const never: never = op;
        throw new Error(`unhandled operation ${JSON.stringify(never)}`);
      }
    }
  }
  return decompose(mechanisms, nd, c.numObservables, coords);
}

/** XOR of sorted id lists. */
function xorLists(parts: readonly number[][]): number[] {
  const count = new Map<number, number>();
  for (const p of parts) for (const id of p) count.set(id, (count.get(id) ?? 0) ^ 1);
  return [...count]
    .filter(([, v]) => v === 1)
    .map(([k]) => k)
    .sort((a, b) => a - b);
}

function detCount(ids: readonly number[], nd: number): number {
  let k = 0;
  for (const id of ids) if (id < nd) k++;
  return k;
}

function decompose(
  mechanisms: readonly Mechanism[],
  nd: number,
  numObservables: number,
  coords: ReadonlyMap<number, readonly number[]>,
): QecResult<DetectorErrorModel> {
  // Graph-like symptom sets seen on their own: detector key → observable ids.
  const known = new Map<string, number[]>();
  const keyOf = (ids: readonly number[]): string => ids.filter((i) => i < nd).join(' ');
  for (const mech of mechanisms) {
    const all = xorLists(mech.parts);
    if (detCount(all, nd) >= 1 && detCount(all, nd) <= 2 && !known.has(keyOf(all)))
      known.set(
        keyOf(all),
        all.filter((i) => i >= nd),
      );
  }
  const diags: Diagnostic[] = [];
  const merged = new Map<string, { components: DemComponent[]; p: number; line: number }>();
  for (const mech of mechanisms) {
    const all = xorLists(mech.parts);
    if (all.length === 0) continue;
    let comps: number[][] | undefined;
    if (mech.parts.length === 1 && detCount(all, nd) <= 2) comps = [all];
    else {
      const coarse = mech.parts.filter((p) => p.length > 0);
      const parts = coarse.every((p) => detCount(p, nd) <= 2) ? coarse : mech.fine.filter((p) => p.length > 0);
      comps = [];
      for (const part of parts) {
        if (detCount(part, nd) <= 2) comps.push(part);
        else {
          const split = splitByKnown(part, nd, known);
          if (!split) {
            comps = undefined;
            break;
          }
          comps.push(...split);
        }
      }
    }
    if (!comps) {
      if (diags.length < 20)
        diags.push(
          qecDiagnostic(
            'stim',
            'not_graphlike',
            `an error here flips ${detCount(all, nd)} detectors (${all
              .filter((i) => i < nd)
              .slice(0, 6)
              .map((d) => `D${d}`)
              .join(' ')}) and cannot be split into graph-like parts for matching`,
            mech.line,
          ),
        );
      continue;
    }
    const components = comps.map((ids) => ({
      detectors: ids.filter((i) => i < nd),
      observables: ids.filter((i) => i >= nd).map((i) => i - nd),
    }));
    const key = components.map((cp) => `${cp.detectors.join(',')}|${cp.observables.join(',')}`).join('^');
    const old = merged.get(key);
    if (old) old.p = old.p * (1 - mech.p) + mech.p * (1 - old.p);
    else merged.set(key, { components, p: mech.p, line: mech.line });
  }
  if (diags.length > 0) return fail(diags);
  const errors: DemError[] = [...merged.values()].map((e) => ({
    probability: e.p,
    components: e.components,
    line: e.line,
  }));
  errors.reverse(); // circuit order (the pass ran backwards)
  return ok({ errors, numDetectors: nd, numObservables, detectorCoords: coords });
}

/** Splits a symptom set into known graph-like pairs/singles whose observables XOR to the set's. */
function splitByKnown(
  ids: readonly number[],
  nd: number,
  known: ReadonlyMap<string, number[]>,
): number[][] | undefined {
  const dets = ids.filter((i) => i < nd);
  const obs = ids.filter((i) => i >= nd);
  const out: number[][] = [];
  const left = new Set(dets);
  for (const a of dets) {
    if (!left.has(a)) continue;
    left.delete(a);
    let found = false;
    for (const b of left) {
      const o = known.get(`${a} ${b}`);
      if (o) {
        left.delete(b);
        out.push([a, b, ...o]);
        found = true;
        break;
      }
    }
    if (!found) {
      const o = known.get(`${a}`);
      if (!o) return undefined;
      out.push([a, ...o]);
    }
  }
  const residual = xorLists([obs, ...out.map((p) => p.filter((i) => i >= nd))]);
  if (residual.length > 0) {
    // Attach the remaining observable flips to the first part: the symptom totals stay right.
    out[0] = xorLists([out[0]!, residual]);
  }
  return out;
}

/** Stim's DEM text for a model (flat: no repeat folding). */
export function formatDem(dem: DetectorErrorModel): string {
  const lines: string[] = [];
  const fmt = (p: number): string => String(Number(p.toPrecision(12)));
  for (const e of dem.errors) {
    const parts = e.components.map((cp) =>
      [...cp.detectors.map((d) => `D${d}`), ...cp.observables.map((o) => `L${o}`)].join(' '),
    );
    lines.push(`error(${fmt(e.probability)}) ${parts.join(' ^ ')}`);
  }
  for (let d = 0; d < dem.numDetectors; d++) {
    const c = dem.detectorCoords.get(d);
    lines.push(c ? `detector(${c.map(fmt).join(', ')}) D${d}` : `detector D${d}`);
  }
  for (let k = 0; k < dem.numObservables; k++) lines.push(`logical_observable L${k}`);
  return lines.join('\n') + '\n';
}
