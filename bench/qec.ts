/**
 * QEC benchmarks: MWPM decoding time per shot at p = 0.1% on the rotated surface-code circuits PyMatching v2
 * publishes figures for (d = 5, 9, 13, 17, rounds = d), next to those figures (one core of an Apple M1 Max;
 * target: within 2× of them on one core here), how decoding time grows with d, and sampling throughput.
 * Times are the CPU time of the benchmark thread, so that other load on a shared machine does not count.
 */
import { readFileSync } from 'node:fs';
import {
  buildMatchingGraph,
  circuitToDem,
  FrameSampler,
  MwpmDecoder,
  parseStimCircuit,
  QecRng,
} from '../src/qec/index.js';
import type { StimCircuit } from '../src/qec/index.js';
import { QEC_VECTORS } from '../test/qec/helpers.js';
import type { BenchRow, BenchSuite } from './harness.js';

const SUITE = 'qec';

function pymatchingFigures(): Map<number, number> {
  const rows = readFileSync(`${QEC_VECTORS}circuits/pymatching_v2_p0.001.csv`, 'utf8').trim().split('\n').slice(1);
  return new Map(rows.map((r) => r.split(',').map(Number)).map(([d, , us]) => [d ?? 0, us ?? 0]));
}

function circuit(d: number): StimCircuit {
  const r = parseStimCircuit(
    readFileSync(`${QEC_VECTORS}circuits/surface_code_rotated_memory_x_${d}_0.001.stim`, 'utf8'),
  );
  if (!r.ok) throw new Error(`d=${d}: ${r.diagnostics[0]?.message}`);
  return r.value;
}

export const qecSuite: BenchSuite = {
  name: SUITE,
  async run({ quick, log }) {
    const rows: BenchRow[] = [];
    const reference = pymatchingFigures();
    const points: [number, number][] = [];
    for (const d of [5, 9, 13, 17]) {
      const c = circuit(d);
      const dem = circuitToDem(c);
      if (!dem.ok) throw new Error(`d=${d}: ${dem.diagnostics[0]?.message}`);
      const graph = buildMatchingGraph(dem.value);
      if (!graph.ok) throw new Error(`d=${d}: ${graph.diagnostics[0]?.message}`);
      const decoder = new MwpmDecoder(graph.value);
      const sampler = new FrameSampler(c, 32);
      const rng = new QecRng(d);
      const shots = quick ? 1024 : d <= 9 ? 32_768 : 8_192;
      const events: number[][] = [];
      let sampleMs = 0;
      for (let done = 0; done < shots; done += sampler.batchShots) {
        const t0 = process.cpuUsage();
        const batch = sampler.sample(rng, Math.min(sampler.batchShots, shots - done));
        const t1 = process.cpuUsage(t0);
        sampleMs += (t1.user + t1.system) / 1000;
        events.push(...batch.events);
      }
      // Warm up on the first 500 shots, then time all of them.
      for (const e of events.slice(0, 500)) decoder.decodeEvents(e);
      // CPU time of this thread (user + system): on a shared machine wall time counts other processes too.
      const c0 = process.cpuUsage();
      for (const e of events) decoder.decodeEvents(e);
      const c1 = process.cpuUsage(c0);
      const us = (c1.user + c1.system) / events.length;
      const pm = reference.get(d) ?? NaN;
      const meanEvents = events.reduce((n, e) => n + e.length, 0) / events.length;
      log(
        `d=${d}: ${us.toFixed(2)} µs/shot (PyMatching v2 ${pm} µs on an M1 Max), ${meanEvents.toFixed(1)} events/shot`,
      );
      points.push([d, us]);
      rows.push({
        suite: SUITE,
        case: `decode d=${d} p=0.001 (rounds=d)`,
        value: us,
        unit: 'µs/shot',
        target: `≤ 2× PyMatching v2 (${pm} µs, M1 Max)`,
        met: us <= 2 * pm,
        note: `${(us / pm).toFixed(1)}× PyMatching; ${meanEvents.toFixed(1)} events/shot; ${events.length} shots`,
      });
      if (d === 5 || d === 17)
        rows.push({
          suite: SUITE,
          case: `sample d=${d} p=0.001 (rounds=d)`,
          value: Math.round(shots / (sampleMs / 1000)),
          unit: 'shots/s',
          note: `Pauli-frame sampler, 1,024 shots per batch, ${c.numDetectors} detectors`,
        });
    }
    // Growth: the least-squares slope of log(time) against log(d).
    const xs = points.map(([d]) => Math.log(d));
    const ys = points.map(([, t]) => Math.log(t));
    const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
    const my = ys.reduce((a, b) => a + b, 0) / ys.length;
    let num = 0;
    let den = 0;
    xs.forEach((x, i) => {
      num += (x - mx) * ((ys[i] ?? 0) - my);
      den += (x - mx) ** 2;
    });
    rows.push({
      suite: SUITE,
      case: 'decode time growth with d (d = 5…17)',
      value: num / den,
      unit: 'exponent',
      note: 'time ∝ d^k; the PyMatching v2 CSV gives about d^3.0 over the same range',
    });
    return rows;
  },
};
