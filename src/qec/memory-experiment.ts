/**
 * A memory experiment end to end: generate the circuit, derive its DEM and matching graph, sample shots with the
 * Pauli-frame sampler, decode each with MWPM and count logical errors. Reports per-shot and per-round rates with
 * a Wilson 95% interval; per round = (1 − (1 − 2·P_shot)^{1/r}) / 2, as in the README table of the vectors.
 * Work is split into chunks so callers can report progress and spread chunks over threads.
 */
import { circuitToDem } from './error-analysis.js';
import type { QecResult } from './diagnostics.js';
import { fail, ok } from './diagnostics.js';
import { FrameSampler } from './frame-sampler.js';
import { generateMemoryCircuit } from './generate.js';
import type { MemorySpec } from './generate.js';
import { buildMatchingGraph } from './matching-graph.js';
import { MwpmDecoder } from './mwpm-decoder.js';
import { QecRng } from './rng.js';
import { parseStimCircuit } from './stim-circuit.js';

export const DECODERS = ['mwpm', 'none'] as const;
export type DecoderName = (typeof DECODERS)[number];

export interface ExperimentSummary {
  readonly shots: number;
  readonly errors: number;
  readonly perShot: number;
  readonly perRound: number;
  readonly ci95: readonly [number, number];
  readonly decodeUsPerShot: number;
}

export interface ChunkResult {
  readonly shots: number;
  readonly errors: number;
  readonly decodeMs: number;
  readonly sampleMs: number;
}

/** A prepared experiment: circuit, sampler and decoder built once, then run chunk by chunk. */
export class MemoryExperiment {
  readonly spec: MemorySpec;
  readonly numDetectors: number;
  private readonly sampler: FrameSampler;
  private readonly decoder: MwpmDecoder | undefined;

  private constructor(spec: MemorySpec, sampler: FrameSampler, decoder: MwpmDecoder | undefined, nd: number) {
    this.spec = spec;
    this.sampler = sampler;
    this.decoder = decoder;
    this.numDetectors = nd;
  }

  static create(spec: MemorySpec, decoder: DecoderName = 'mwpm'): QecResult<MemoryExperiment> {
    const circuit = parseStimCircuit(generateMemoryCircuit(spec));
    if (!circuit.ok) return fail(circuit.diagnostics);
    let dec: MwpmDecoder | undefined;
    if (decoder === 'mwpm') {
      const dem = circuitToDem(circuit.value);
      if (!dem.ok) return fail(dem.diagnostics);
      const graph = buildMatchingGraph(dem.value);
      if (!graph.ok) return fail(graph.diagnostics);
      dec = new MwpmDecoder(graph.value);
    }
    return ok(new MemoryExperiment(spec, new FrameSampler(circuit.value, 32), dec, circuit.value.numDetectors));
  }

  /**
   * Runs `shots` shots with a generator seeded from (seed, chunk), so a chunk gives the same result whichever
   * thread runs it. With decoder `none`, a shot counts as an error when its observable flipped (no correction).
   */
  runChunk(shots: number, seed: number, chunk: number): ChunkResult {
    const rng = new QecRng((Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(chunk + 1, 0x85ebca77)) >>> 0);
    let errors = 0;
    let decodeMs = 0;
    let sampleMs = 0;
    for (let done = 0; done < shots;) {
      const n = Math.min(this.sampler.batchShots, shots - done);
      const t0 = performance.now();
      const batch = this.sampler.sample(rng, n);
      const t1 = performance.now();
      for (let s = 0; s < n; s++) {
        const predicted = this.decoder ? this.decoder.decodeEvents(batch.events[s] ?? []).observables : 0;
        if (predicted !== batch.observables[s]) errors++;
      }
      decodeMs += performance.now() - t1;
      sampleMs += t1 - t0;
      done += n;
    }
    return { shots, errors, decodeMs, sampleMs };
  }
}

/** The shots of each chunk: chunks of `size` and a remainder. */
export function chunkPlan(shots: number, size = 16_384): number[] {
  const out: number[] = [];
  for (let left = shots; left > 0; left -= size) out.push(Math.min(size, left));
  return out;
}

export function summarise(chunks: readonly ChunkResult[], rounds: number): ExperimentSummary {
  let shots = 0;
  let errors = 0;
  let decodeMs = 0;
  for (const c of chunks) {
    shots += c.shots;
    errors += c.errors;
    decodeMs += c.decodeMs;
  }
  const perShot = shots === 0 ? 0 : errors / shots;
  const [lo, hi] = wilson(errors, shots);
  return {
    shots,
    errors,
    perShot,
    perRound: perRound(perShot, rounds),
    ci95: [lo, hi],
    decodeUsPerShot: shots === 0 ? 0 : (decodeMs * 1000) / shots,
  };
}

/** Per-round logical error rate from the per-shot rate over `rounds` rounds. */
export function perRound(perShot: number, rounds: number): number {
  if (perShot >= 0.5) return 0.5;
  return (1 - Math.pow(1 - 2 * perShot, 1 / Math.max(1, rounds))) / 2;
}

/** Wilson score 95% interval of a binomial proportion. */
export function wilson(k: number, n: number): [number, number] {
  if (n === 0) return [0, 1];
  const z = 1.959963984540054;
  const p = k / n;
  const den = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / den;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / den;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}
