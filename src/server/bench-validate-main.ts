/**
 * `node dist/server/bench-validate-main.js`: the `POST /v1/validate` benchmark with nothing but Node and the
 * production dependencies (autocannon, which `npm run bench -- server` uses, is a dev dependency). For each
 * setting it starts `maml serve` in a child process (PGlite and a keyring in a temporary directory, `--auth none`
 * on 127.0.0.1, no rate limit) and drives it with a closed-loop generator (load/closed-loop.ts) split over worker
 * threads, then reports p50, p99 and requests/s, and the gateway's CPU time per request where /proc has it.
 *
 *   --connections 50,200   --threads 0,4,8 (the gateway's --validate-threads)   --duration 10   --warmup 2
 *   --generators N (load threads, default min(4, cores / 4) or 1)   --out result.json
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import type { ClosedLoopOptions, ClosedLoopResult } from './load/closed-loop.js';
import { tenKiBDocument } from './load/bench-document.js';
import { startServeChild, type ServeChild } from './load/serve-child.js';

const CLI = fileURLToPath(new URL('../cli/bin.js', import.meta.url));

interface Setting {
  readonly threads: number;
  readonly connections: number;
}

interface Measured extends Setting {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly requests: number;
  readonly reqPerSec: number;
  readonly failures: number;
  readonly statuses: Readonly<Record<string, number>>;
  /** Gateway process CPU (user + system, all threads) per measured request, in ms; null without /proc. */
  readonly serverCpuMsPerRequest: number | null;
}

function startServe(stateDir: string, threads: number): Promise<ServeChild> {
  return startServeChild(CLI, stateDir, ['--heads', 'quantum:1', '--validate-threads', String(threads)]);
}

/** utime + stime of a process in ms (Linux /proc), or null. */
async function cpuMs(pid: number | undefined): Promise<number | null> {
  if (pid === undefined) return null;
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of proc(5), counted from the state field (3): indices 11 and 12 here; clock ticks of 10 ms.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

function runGenerator(options: ClosedLoopOptions): Promise<ClosedLoopResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./load/load-worker.js', import.meta.url), { workerData: options });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function measure(
  url: string,
  pid: number | undefined,
  setting: Setting,
  generators: number,
  timing: { warmupMs: number; durationMs: number },
): Promise<Measured> {
  const body = tenKiBDocument();
  const shares = Array.from({ length: generators }, (_, i) =>
    Math.floor((setting.connections + i) / generators),
  ).filter((n) => n > 0);
  const cpuBefore = new Promise<number | null>((resolve) => setTimeout(() => resolve(cpuMs(pid)), timing.warmupMs));
  const results = await Promise.all(
    shares.map((connections) =>
      runGenerator({
        url: `${url}/v1/validate`,
        method: 'POST',
        headers: { 'content-type': 'text/markdown' },
        body,
        connections,
        ...timing,
      }),
    ),
  );
  const [before, after] = [await cpuBefore, await cpuMs(pid)];
  const all = new Float64Array(results.reduce((n, r) => n + r.latencies.length, 0));
  let offset = 0;
  for (const r of results) {
    all.set(r.latencies, offset);
    offset += r.latencies.length;
  }
  all.sort();
  const elapsed = Math.max(...results.map((r) => r.elapsedMs));
  const statuses: Record<string, number> = {};
  for (const r of results) for (const [k, v] of Object.entries(r.statuses)) statuses[k] = (statuses[k] ?? 0) + v;
  const round = (n: number): number => Math.round(n * 10) / 10;
  return {
    ...setting,
    p50: round(percentile(all, 50)),
    p90: round(percentile(all, 90)),
    p99: round(percentile(all, 99)),
    max: round(all[all.length - 1] ?? 0),
    requests: all.length,
    reqPerSec: Math.round((all.length / elapsed) * 1000),
    failures: results.reduce((n, r) => n + r.failures, 0),
    statuses,
    serverCpuMsPerRequest:
      before === null || after === null || all.length === 0 ? null : round((after - before) / all.length),
  };
}

function list(text: string): number[] {
  return text.split(',').map((s) => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`not a whole number: ${s}`);
    return n;
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      connections: { type: 'string', default: '50,200' },
      threads: { type: 'string', default: '0,4,8' },
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '2' },
      generators: { type: 'string' },
      out: { type: 'string' },
    },
  });
  const cores = os.availableParallelism();
  const generators = values.generators === undefined ? Math.max(1, Math.min(4, cores >> 2)) : Number(values.generators);
  const timing = { warmupMs: Number(values.warmup) * 1000, durationMs: Number(values.duration) * 1000 };
  const machine = {
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    loadavg: os.loadavg().map((n) => Math.round(n * 100) / 100),
    date: new Date().toISOString(),
    generators,
    ...timing,
  };
  process.stderr.write(`${JSON.stringify(machine)}\n`);
  const results: Measured[] = [];
  for (const threads of list(values.threads)) {
    const stateDir = await mkdtemp(join(os.tmpdir(), 'maml-bench-validate-'));
    const { url, child } = await startServe(stateDir, threads);
    try {
      for (const connections of list(values.connections)) {
        const m = await measure(url, child.pid, { threads, connections }, generators, timing);
        results.push(m);
        process.stderr.write(
          `threads ${threads} @${connections}: p50 ${m.p50} ms, p99 ${m.p99} ms, ${m.reqPerSec} req/s, ${m.failures} failures, server CPU ${m.serverCpuMsPerRequest ?? '?'} ms/req\n`,
        );
      }
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      await rm(stateDir, { recursive: true, force: true });
    }
  }
  const report = `${JSON.stringify({ machine, results }, null, 2)}\n`;
  if (values.out) await writeFile(values.out, report);
  else process.stdout.write(report);
}

await main();
