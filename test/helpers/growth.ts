/**
 * Checks that work grows linearly with input without asserting a number of milliseconds: the same input shape is
 * run at a base size and at `factor` times that size, in the same process and under the same load, and the larger
 * run may take at most `factor × slack` times as long (plus a few milliseconds for timer noise). Linear work
 * passes with room to spare; quadratic work grows by `factor²` and fails. Timings are the fastest of a few runs
 * taken in alternation, and a failure is measured again before it counts, so a burst of load on a shared machine
 * does not make a linear case look quadratic.
 */
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Fastest of `runs` timings of `fn`, in milliseconds, each from a collected heap (garbage left by the last run
 * would otherwise be paid for by the next). */
export function fastest(fn: () => unknown, runs = 3): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    gc();
    const start = performance.now();
    fn();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

export interface GrowthOptions {
  /** How much larger the second input is (default 8). */
  readonly factor?: number;
  /** Allowed time ratio over `factor` (default 3: a linear case may be 3 times slower per byte at the larger size). */
  readonly slack?: number;
  /** Milliseconds added to the bound for timer resolution and one-off pauses (default 40). */
  readonly noiseMs?: number;
  /** Timings of each size per attempt, the fastest kept (default 3; 1 for inputs that take long). */
  readonly rounds?: number;
}

/**
 * `make(scale)` builds the input at a scale (1 and `factor`); `run` does the work. Fails with both timings when
 * the larger input takes more than `factor × slack` times as long.
 */
export function assertLinearTime(
  name: string,
  make: (scale: number) => string,
  run: (text: string) => unknown,
  options: GrowthOptions = {},
): void {
  const factor = options.factor ?? 8;
  const slack = options.slack ?? 3;
  const noise = options.noiseMs ?? 40;
  const rounds = options.rounds ?? 3;
  const small = make(1);
  const large = make(factor);
  run(small); // warm the code paths up
  let report = '';
  // Small and large are timed in alternation, so a burst of load slows both; a failure is measured once more
  // before it counts (quadratic growth fails every time, a passing burst of load does not).
  for (let attempt = 0; attempt < 2; attempt++) {
    let t1 = Infinity;
    let t2 = Infinity;
    for (let round = 0; round < rounds; round++) {
      t1 = Math.min(
        t1,
        fastest(() => run(small), 1),
      );
      t2 = Math.min(
        t2,
        fastest(() => run(large), 1),
      );
    }
    const bound = factor * slack * t1 + noise;
    if (t2 <= bound) return;
    report =
      `${name}: ${large.length} characters took ${t2.toFixed(1)} ms, ${small.length} took ${t1.toFixed(1)} ms ` +
      `(at most ${bound.toFixed(1)} ms allowed for linear growth)`;
  }
  assert.fail(report);
}

let collect: (() => void) | undefined;

/** A full garbage collection (the flag is set once; the function comes from a fresh context that sees it). */
export function gc(): void {
  if (!collect) {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  collect();
}

/** Bytes of heap still held after `fn` returns, counting what its result keeps alive. */
export function retainedBytes(fn: () => unknown): number {
  gc();
  const before = process.memoryUsage().heapUsed;
  const result = fn();
  gc();
  const after = process.memoryUsage().heapUsed;
  // Keep the result alive until after the measurement.
  if (result === Symbol.for('never')) console.log(result);
  return Math.max(0, after - before);
}

/**
 * Compares `target` with a `twin` input of the same size that takes the same linear work but not the path under
 * test (a `## Notes` section where the target has `## History`, say): the target may take at most `ratio` times
 * as long. An algorithm that is quadratic only on the target's path fails; load on the machine slows both.
 */
export function assertLikeTwin(
  name: string,
  target: string,
  twin: string,
  run: (text: string) => unknown,
  ratio = 3,
  noiseMs = 40,
  rounds = 3,
): void {
  run(twin);
  run(target);
  let report = '';
  for (let attempt = 0; attempt < 2; attempt++) {
    let tTwin = Infinity;
    let tTarget = Infinity;
    for (let round = 0; round < rounds; round++) {
      tTwin = Math.min(
        tTwin,
        fastest(() => run(twin), 1),
      );
      tTarget = Math.min(
        tTarget,
        fastest(() => run(target), 1),
      );
    }
    const bound = ratio * tTwin + noiseMs;
    if (tTarget <= bound) return;
    report =
      `${name}: took ${tTarget.toFixed(1)} ms where its twin of ${twin.length} characters took ${tTwin.toFixed(1)} ms ` +
      `(at most ${bound.toFixed(1)} ms allowed)`;
  }
  assert.fail(report);
}
