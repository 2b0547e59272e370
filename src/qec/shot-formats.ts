/**
 * Stim's shot formats for detection events: `b8` (per shot ⌈N/8⌉ bytes, bit k of the shot in byte ⌊k/8⌋ at
 * position k mod 8, least significant bit first) and `01` (one line of N characters '0'/'1' per shot). N is the
 * number of detectors plus, when observables are appended, the number of observables.
 */
/* eslint-disable @typescript-eslint/no-non-null-assertion -- byte index arithmetic, in range by construction */
import type { Diagnostic } from '../shared/diagnostic.js';
import { fail, ok, qecDiagnostic } from './diagnostics.js';
import type { QecResult } from './diagnostics.js';

export const SHOT_FORMATS = ['b8', '01'] as const;
export type ShotFormat = (typeof SHOT_FORMATS)[number];

/** Shots as one byte (0/1) per bit, `width` bits per shot, shot-major. */
export interface ShotTable {
  readonly shots: number;
  readonly width: number;
  readonly bits: Uint8Array;
}

export function readShots(data: Uint8Array, format: ShotFormat, width: number): QecResult<ShotTable> {
  if (format === 'b8') {
    const per = Math.ceil(width / 8);
    if (per === 0) return ok({ shots: 0, width, bits: new Uint8Array(0) });
    if (data.length % per !== 0) {
      return fail([
        qecDiagnostic(
          'syndromes',
          'wrong_length',
          `the b8 data has ${data.length} bytes, not a multiple of ${per} (${width} bits per shot); check --dem and whether observables are appended`,
          1,
        ),
      ]);
    }
    const shots = data.length / per;
    const bits = new Uint8Array(shots * width);
    for (let s = 0; s < shots; s++) {
      const base = s * per;
      for (let k = 0; k < width; k++) bits[s * width + k] = (data[base + (k >> 3)]! >> (k & 7)) & 1;
    }
    return ok({ shots, width, bits });
  }
  const text = new TextDecoder().decode(data);
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const diags: Diagnostic[] = [];
  const bits = new Uint8Array(lines.length * width);
  for (let s = 0; s < lines.length; s++) {
    const line = (lines[s] ?? '').replace(/\r$/, '');
    if (line.length !== width) {
      diags.push(
        qecDiagnostic('syndromes', 'wrong_length', `shot has ${line.length} characters, expected ${width}`, s + 1),
      );
      if (diags.length >= 20) break;
      continue;
    }
    for (let k = 0; k < width; k++) {
      const c = line.charCodeAt(k);
      if (c !== 48 && c !== 49) {
        diags.push(qecDiagnostic('syndromes', 'bad_character', `'${line[k]}' is not 0 or 1`, s + 1, k + 1));
        break;
      }
      bits[s * width + k] = c - 48;
    }
    if (diags.length >= 20) break;
  }
  if (diags.length > 0) return fail(diags);
  return ok({ shots: lines.length, width, bits });
}

/** Writes predictions (one observable mask per shot, `numObservables` bits each) in the given format. */
export function writeShots(masks: readonly number[], numObservables: number, format: ShotFormat): Uint8Array {
  if (format === '01') {
    const rows = masks.map((m) => {
      let s = '';
      for (let k = 0; k < numObservables; k++) s += (m >>> k) & 1 ? '1' : '0';
      return s + '\n';
    });
    return new TextEncoder().encode(rows.join(''));
  }
  const per = Math.ceil(numObservables / 8);
  const out = new Uint8Array(per * masks.length);
  masks.forEach((m, s) => {
    for (let k = 0; k < numObservables; k++) if ((m >>> k) & 1) out[s * per + (k >> 3)]! |= 1 << (k & 7);
  });
  return out;
}
