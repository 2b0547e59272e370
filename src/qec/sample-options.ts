/**
 * The options of a sampling run (`maml qec sample` and the `qec` block language take the same names), validated
 * and compiled once: unknown names and bad values are reported together, each with what is allowed.
 */
import type { Diagnostic } from '../shared/diagnostic.js';
import { fail, ok, qecDiagnostic } from './diagnostics.js';
import type { QecResult } from './diagnostics.js';
import { BASES, CODES, GENERATE_LIMITS } from './generate.js';
import type { MemorySpec } from './generate.js';
import { DECODERS } from './memory-experiment.js';
import type { DecoderName } from './memory-experiment.js';

export interface SampleOptions {
  readonly spec: MemorySpec;
  readonly shots: number;
  readonly seed: number;
  readonly decoder: DecoderName;
}

export const SAMPLE_OPTION_NAMES = [
  'code',
  'basis',
  'distance',
  'rounds',
  'p',
  'after-clifford-depolarization',
  'before-round-data-depolarization',
  'before-measure-flip-probability',
  'after-reset-flip-probability',
  'shots',
  'seed',
  'decoder',
] as const;

export const MAX_SHOTS = 1e10;
export const MAX_DETECTORS = 200_000;

/** `line` places the diagnostics (the block's line in a document; 1 on the command line). */
export function compileSampleOptions(
  raw: Readonly<Record<string, string | undefined>>,
  line = 1,
): QecResult<SampleOptions> {
  const diags: Diagnostic[] = [];
  const bad = (name: string, message: string): void => {
    diags.push(qecDiagnostic('qec', 'bad_option', `${name}: ${message}`, line));
  };
  for (const key of Object.keys(raw)) {
    if (!(SAMPLE_OPTION_NAMES as readonly string[]).includes(key))
      bad(key, `unknown option (known: ${SAMPLE_OPTION_NAMES.join(', ')})`);
  }
  const choice = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const v = raw[name];
    if (v === undefined) return fallback;
    if ((allowed as readonly string[]).includes(v)) return v as T;
    bad(name, `must be one of ${allowed.join(', ')}, not '${v}'`);
    return fallback;
  };
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const v = raw[name];
    if (v === undefined) return fallback;
    const n = /^-?\d+$/.test(v.trim()) ? Number(v) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      bad(name, `must be a whole number from ${min} to ${max}, not '${v}'`);
      return fallback;
    }
    return n;
  };
  const prob = (name: string, fallback: number): number => {
    const v = raw[name];
    if (v === undefined) return fallback;
    const n = /^\s*(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(v) ? Number(v) : NaN;
    if (!(n >= 0 && n <= 0.5)) {
      bad(name, `must be a probability from 0 to 0.5, not '${v}'`);
      return fallback;
    }
    return n;
  };
  const code = choice('code', CODES, 'surface');
  const basis = choice('basis', BASES, 'z');
  const distance = int('distance', 3, 2, GENERATE_LIMITS.maxDistance);
  if (code === 'surface' && distance % 2 === 0 && raw['distance'] !== undefined)
    bad('distance', 'the rotated surface code needs an odd distance');
  const rounds = int('rounds', distance, 1, GENERATE_LIMITS.maxRounds);
  const p = prob('p', 0.001);
  const spec: MemorySpec = {
    code,
    basis,
    distance,
    rounds,
    noise: {
      afterCliffordDepolarization: prob('after-clifford-depolarization', p),
      beforeRoundDataDepolarization: prob('before-round-data-depolarization', p),
      beforeMeasureFlipProbability: prob('before-measure-flip-probability', p),
      afterResetFlipProbability: prob('after-reset-flip-probability', p),
    },
  };
  // Detectors of the generated circuit, bounded so that sampling and the DEM stay within memory.
  const detectors = (code === 'surface' ? distance * distance - 1 : distance - 1) * (rounds + 1);
  if (detectors > MAX_DETECTORS)
    bad('rounds', `distance ${distance} with ${rounds} rounds gives ${detectors} detectors; at most ${MAX_DETECTORS}`);
  const shots = int('shots', 10_000, 0, MAX_SHOTS);
  const seed = int('seed', 1, 0, 2 ** 32 - 1);
  const decoder = choice('decoder', DECODERS, 'mwpm');
  if (diags.length > 0) return fail(diags);
  return ok({ spec, shots, seed, decoder });
}
