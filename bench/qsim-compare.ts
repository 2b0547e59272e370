/**
 * Side-by-side comparison with Google's qsim on the same circuits (random depth 20, QFT, GHZ), as whole processes:
 * each run starts a fresh process, ours (this file with --ours: Node start-up, module loading, simulation, 1,000
 * shots sampled) and qsim's `qsim_base` (or `qsim_base_cuda`) on the circuit converted by qsim-format.ts; runs are
 * interleaved and the median of `--repeat` is reported, with simulation time alone (our durationMs against qsim's
 * reported time) beside it. qsim is built outside the repository (scripts/build-qsim.sh); nothing of it is
 * committed.
 *
 *   node .build/bench/qsim-compare.js --qsim /tmp/qsim/qsim_base.x [--circuits random:20,random:24,qft:24]
 *        [--repeat 3] [--threads 2] [--precision 64] [--fusion 3] [--backend statevector|webgpu]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Circuit } from '../src/quantum/index.js';
import { ghz, measured, qft, randomCircuit } from '../src/quantum-gpu/random-circuits.js';
import { toQsimText } from './qsim-format.js';

const USAGE = `usage: node .build/bench/qsim-compare.js --qsim PATH [options]
  --qsim PATH         qsim_base (CPU) or qsim_base_cuda (GPU) binary, built by scripts/build-qsim.sh
  --circuits LIST     kind:qubits, comma-separated; kinds random (depth 20), qft, ghz (default random:20,random:24,qft:24)
  --repeat N          interleaved runs per circuit, median reported (default 3)
  --threads N         threads for both simulators (default 2)
  --precision 64|128  our amplitude precision (default 64; qsim_base computes in single precision)
  --fusion N          qsim's max_fused_size (default 3)
  --backend NAME      our backend: statevector (default) or webgpu`;

function circuitOf(kind: string, n: number): Circuit {
  switch (kind) {
    case 'random':
      return measured(randomCircuit(n, 20, 1));
    case 'qft':
      return measured(qft(n));
    case 'ghz':
      return measured(ghz(n));
    default:
      throw new Error(`unknown circuit kind ${kind} (random, qft, ghz)`);
  }
}

/** Child mode: simulate one circuit with 1,000 shots and print the simulation time. */
async function runOurs(args: Map<string, string>): Promise<void> {
  const [kind = 'random', qubits = '20'] = (args.get('--ours') ?? '').split(':');
  const threads = Number(args.get('--threads') ?? 2);
  const precision = Number(args.get('--precision') ?? 64) === 128 ? 128 : 64;
  const circuit = circuitOf(kind, Number(qubits));
  const backend = args.get('--backend') ?? 'statevector';
  const { createNodeSimulator } = await import('../src/quantum-node/index.js');
  const sim = await createNodeSimulator(backend === 'webgpu' ? 'webgpu' : 'statevector', { threads });
  try {
    const r = await sim.simulate(circuit, { shots: 1000, precision, seed: 1 });
    console.log(JSON.stringify({ durationMs: r.durationMs }));
  } finally {
    await sim.close();
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help')) {
    console.log(USAGE);
    return;
  }
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) args.set(argv[i] ?? '', argv[i + 1] ?? '');
  if (args.has('--ours')) return runOurs(args);
  const qsim = args.get('--qsim');
  if (!qsim) {
    console.error(USAGE);
    process.exit(2);
  }
  const repeat = Number(args.get('--repeat') ?? 3);
  const threads = args.get('--threads') ?? '2';
  const fusion = args.get('--fusion') ?? '3';
  const list = (args.get('--circuits') ?? 'random:20,random:24,qft:24').split(',');
  const self = fileURLToPath(import.meta.url);
  const dir = mkdtempSync(join(tmpdir(), 'maml-qsim-'));
  const passOn = ['--threads', threads];
  for (const key of ['--precision', '--backend']) {
    const v = args.get(key);
    if (v) passOn.push(key, v);
  }
  console.log(
    '| circuit | ours (whole process) | qsim (whole process) | ours ÷ qsim | ours sim only | qsim sim only | ÷ |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  try {
    for (const spec of list) {
      const [kind = 'random', q = '20'] = spec.split(':');
      const file = join(dir, `${kind}-${q}.qsim`);
      writeFileSync(file, toQsimText(circuitOf(kind, Number(q))));
      const ours: number[] = [];
      const oursSim: number[] = [];
      const theirs: number[] = [];
      const theirsSim: number[] = [];
      for (let r = 0; r < repeat; r++) {
        let t0 = performance.now();
        const o = spawnSync(process.execPath, [self, '--ours', `${kind}:${q}`, ...passOn], { encoding: 'utf8' });
        ours.push(performance.now() - t0);
        if (o.status !== 0) throw new Error(`ours failed on ${spec}: ${o.stderr}`);
        oursSim.push((JSON.parse(o.stdout.trim().split('\n').pop() ?? '{}') as { durationMs: number }).durationMs);
        t0 = performance.now();
        const s = spawnSync(qsim, ['-c', file, '-t', threads, '-f', fusion, '-v', '1'], { encoding: 'utf8' });
        theirs.push(performance.now() - t0);
        if (s.status !== 0) throw new Error(`qsim failed on ${spec}: ${s.stderr}`);
        const m = /time is ([0-9.e+-]+) seconds/.exec(s.stdout + s.stderr);
        theirsSim.push(m ? Number(m[1]) * 1000 : NaN);
      }
      const [a, b, c, d] = [median(ours), median(theirs), median(oursSim), median(theirsSim)];
      const sec = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
      console.log(
        `| ${kind} ${q} | ${sec(a)} | ${sec(b)} | ${(a / b).toFixed(2)}× | ${sec(c)} | ${sec(d)} | ${(c / d).toFixed(2)}× |`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
