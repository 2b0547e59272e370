/**
 * CLI start-up: the wall time of `maml --version` and `maml validate examples/quickstart.maml.md` against
 * `node -e 0`, each a fresh process, interleaved round by round (the order rotates) so that load on a shared
 * machine falls on all three alike; reported as medians and as ratios of the medians (targets: --version ≤ 1.5×,
 * validate ≤ 3×). Then `maml mcp`: the time from spawn until the answer to `initialize` arrives on stdout, with a
 * state directory and keyring of its own (created anew for each start, so it includes creating the run database
 * and the keys, as a client's first start does) and with `--memory`; target < 1 s. Each start is waited out
 * (stdin closed, the runtime opened and closed) before the next, so no start runs beside another.
 * `CLI_BENCH_SECTIONS=startup,mcp` runs part of it; `CLI_BENCH_COMPARE=/path/to/other/dist/cli/bin.js` adds the
 * same cases for another build (an older commit, say), interleaved with this one's, without targets.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchRow, BenchSuite } from './harness.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'dist/cli/bin.js');
const COMPARE = process.env['CLI_BENCH_COMPARE'];

interface Build {
  /** Added to case names: empty for this build. */
  readonly label: string;
  readonly cli: string;
}
const BUILDS: readonly Build[] = [
  { label: '', cli: CLI },
  ...(COMPARE ? [{ label: ' [CLI_BENCH_COMPARE build]', cli: COMPARE }] : []),
];
const MCP_LIMIT_MS = 60_000;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/**
 * CPU time (user + system, milliseconds) of this process's children that have been waited for, from
 * /proc/self/stat (`cutime`, `cstime`: clock ticks, 10 ms at the usual 100 Hz); undefined off Linux.
 */
function childrenCpuMs(): number | undefined {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // Fields after the command name (which may hold spaces) start at field 3; cutime and cstime are 16 and 17.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}
const TICKS_PER_SECOND = 100;

interface Timing {
  readonly wallMs: number;
  readonly cpuMs: number | undefined;
}

/** Wall and CPU time of one process from spawn to exit; fails when it exits other than 0. */
function timeProcess(args: readonly string[]): Timing {
  const cpu0 = childrenCpuMs();
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const wallMs = performance.now() - t0;
  const cpu1 = childrenCpuMs();
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${String(r.status)}: ${r.stderr}`);
  return { wallMs, cpuMs: cpu0 === undefined || cpu1 === undefined ? undefined : cpu1 - cpu0 };
}

interface StartupCase {
  readonly name: string;
  readonly args: readonly string[];
  readonly target?: number;
}

const BASELINE: StartupCase = { name: 'node -e 0', args: ['-e', '0'] };
const CASES: readonly StartupCase[] = BUILDS.flatMap(({ label, cli }) => [
  { name: `maml --version${label}`, args: [cli, '--version'], ...(label ? {} : { target: 1.5 }) },
  {
    name: `maml validate examples/quickstart.maml.md${label}`,
    args: [cli, 'validate', 'examples/quickstart.maml.md'],
    ...(label ? {} : { target: 3 }),
  },
]);

function startupRows(rounds: number, log: (line: string) => void): { rows: BenchRow[]; baseMs: number } {
  const all = [BASELINE, ...CASES];
  const times = new Map<StartupCase, Timing[]>(all.map((c) => [c, []]));
  for (const c of all) timeProcess(c.args); // warm-up: file cache, not reported
  for (let round = 0; round < rounds; round++) {
    // Rotate the order so that no case always runs first (or right after the same neighbour).
    for (let i = 0; i < all.length; i++) {
      const c = all[(round + i) % all.length];
      if (c) times.get(c)?.push(timeProcess(c.args));
    }
  }
  const wall = (c: StartupCase): number => median((times.get(c) ?? []).map((t) => t.wallMs));
  const cpuOf = (c: StartupCase): number | undefined => {
    const cpu = (times.get(c) ?? []).map((t) => t.cpuMs);
    return cpu.every((ms) => ms !== undefined) ? median(cpu as number[]) : undefined;
  };
  const base = wall(BASELINE);
  const baseCpu = cpuOf(BASELINE);
  const cpuText = (cpu: number | undefined): string => (cpu === undefined ? '' : `, CPU ${Math.round(cpu)} ms`);
  log(`${BASELINE.name}: median ${base.toFixed(0)} ms${cpuText(baseCpu)} over ${rounds} runs`);
  const rows: BenchRow[] = [
    {
      suite: 'cli',
      case: `${BASELINE.name}, median of ${rounds}`,
      value: Math.round(base),
      unit: 'ms',
      note: cpuText(baseCpu).slice(2),
    },
  ];
  for (const c of CASES) {
    const ms = wall(c);
    const ratio = ms / base;
    const cpu = cpuOf(c);
    // CPU time is less disturbed by other load on the machine than wall time; given beside the target ratio.
    const cpuRatio = cpu !== undefined && baseCpu ? `; CPU ${(cpu / baseCpu).toFixed(2)}×` : '';
    log(`${c.name}: median ${ms.toFixed(0)} ms${cpuText(cpu)}, ${ratio.toFixed(2)}× node -e 0${cpuRatio}`);
    rows.push({
      suite: 'cli',
      case: `${c.name} ÷ node -e 0`,
      value: ratio,
      unit: '×',
      ...(c.target === undefined ? {} : { target: `≤ ${c.target}×`, met: ratio <= c.target }),
      note: `median ${Math.round(ms)} ms${cpuRatio}`,
    });
  }
  return { rows, baseMs: base };
}

const INITIALIZE = `${JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'maml-bench', version: '0' } },
})}\n`;

/**
 * Spawns `maml mcp` with `args`, sends `initialize` at once (as a client does) and resolves with the milliseconds
 * from spawn to the answer; then closes stdin, which ends the server, and waits for it to exit.
 */
async function timeMcpInitialize(cli: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [cli, 'mcp', ...args], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, DATABASE_URL: '', MAML_KEY_PASSPHRASE: '', ...env },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => {
    errors = (errors + chunk.toString()).slice(-4000);
  });
  child.stdin.write(INITIALIZE);
  try {
    return await new Promise<number>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`no answer to initialize in ${MCP_LIMIT_MS} ms`)), MCP_LIMIT_MS);
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        for (const line of out.split('\n')) {
          if (!line.startsWith('{')) continue;
          const message = JSON.parse(line) as { id?: unknown; result?: unknown; error?: { message?: string } };
          if (message.id !== 1) continue;
          clearTimeout(timer);
          if (message.result) resolve(performance.now() - t0);
          else reject(new Error(`initialize failed: ${message.error?.message ?? line}`));
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`maml mcp exited with ${String(code)} before answering: ${errors.trim()}`));
      });
    });
  } finally {
    child.stdin.end();
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(killer);
  }
}

async function mcpRows(starts: number, baseMs: number, log: (line: string) => void): Promise<BenchRow[]> {
  interface Variant {
    readonly name: string;
    readonly build: Build;
    args(dir: string): string[];
    env(dir: string): NodeJS.ProcessEnv;
  }
  const variants: Variant[] = BUILDS.flatMap((build) => [
    {
      name: `maml mcp, new state directory and keyring${build.label}`,
      build,
      args: (dir: string) => ['--state-dir', join(dir, 'state')],
      env: (dir: string) => ({ MAML_KEYRING: join(dir, 'keyring') }),
    },
    { name: `maml mcp --memory${build.label}`, build, args: () => ['--memory'], env: () => ({}) },
  ]);
  const times = new Map(variants.map((v) => [v, [] as number[]]));
  for (let i = 0; i < starts; i++) {
    for (const v of variants) {
      const dir = await mkdtemp(join(tmpdir(), 'maml-bench-mcp-'));
      try {
        times.get(v)?.push(await timeMcpInitialize(v.build.cli, v.args(dir), v.env(dir)));
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }
  }
  return variants.map((v) => {
    const ms = median(times.get(v) ?? []);
    log(`${v.name}: initialize answered after median ${ms.toFixed(0)} ms (${starts} starts)`);
    return {
      suite: 'cli',
      case: `${v.name}: spawn → initialize answered, median of ${starts}`,
      value: Math.round(ms),
      unit: 'ms',
      ...(v.build.label ? {} : { target: '< 1000 ms', met: ms < 1000 }),
      note: `${(ms / baseMs).toFixed(1)}× node -e 0`,
    };
  });
}

export const cliSuite: BenchSuite = {
  name: 'cli',
  async run({ quick, log }) {
    const sections = (process.env['CLI_BENCH_SECTIONS'] ?? 'startup,mcp').split(',');
    // The mcp rows are compared with node -e 0 too, so the baseline is measured even when startup is not asked for.
    const startup = startupRows(quick ? 3 : sections.includes('startup') ? 21 : 5, log);
    return [
      ...(sections.includes('startup') ? startup.rows : []),
      ...(sections.includes('mcp') ? await mcpRows(quick ? 1 : 5, startup.baseMs, log) : []),
    ];
  },
};
