/**
 * Admission under a burst: 1,000 `POST /v1/runs` sent at once over loopback to `maml serve` in its own process
 * (PGlite, two quantum heads, no rate limit), with `fetch` as a client would. Every submission must be answered:
 * 202, or 429/503 with Retry-After; connection-level failures (`fetch failed`) must be zero. Reported: the count
 * of each answer, connection errors by cause, answer latency percentiles, and the time until every accepted run
 * has finished. Run twice: with the default admission limit (2,000 runs: all 1,000 are accepted) and with
 * `--max-runs 200` (the rest are refused with 503 at once, or admitted as earlier runs finish). Bounded: each
 * phase gives up after five minutes.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServeChild, type ServeChild } from '../src/server/load/serve-child.js';
import type { BenchRow, BenchSuite } from './harness.js';

const CLI = fileURLToPath(new URL('../../dist/cli/bin.js', import.meta.url));
const LIMIT_MS = 5 * 60_000;

const RUN_DOC = `---\nmaml_version: "1.0"\nid: "urn:uuid:6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f"\ntype: workflow\norigin: "agent://bench"\ntags: [bench]\n---\n\n## Intent\n\nOne tiny circuit.\n\n## Code_Blocks\n\n\`\`\`qasm {#flip shots=8}\nOPENQASM 3.0;\ninclude "stdgates.inc";\nqubit q;\nbit c;\nx q;\nc = measure q;\n\`\`\`\n`;

interface Answer {
  /** HTTP status, or the connection error's cause code. */
  readonly outcome: number | string;
  readonly ms: number;
  readonly retryAfter: string | null;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function submit(url: string): Promise<Answer> {
  const t0 = performance.now();
  try {
    const res = await fetch(`${url}/v1/runs`, {
      method: 'POST',
      headers: { 'content-type': 'text/markdown' },
      body: RUN_DOC,
      signal: AbortSignal.timeout(LIMIT_MS),
    });
    await res.arrayBuffer();
    return { outcome: res.status, ms: performance.now() - t0, retryAfter: res.headers.get('retry-after') };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { outcome: cause?.code ?? cause?.message ?? String(error), ms: performance.now() - t0, retryAfter: null };
  }
}

async function admitted(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/^maml_runs_admitted (\d+)/m.exec(text)?.[1] ?? NaN);
}

async function phase(label: string, extraArgs: readonly string[], log: (line: string) => void): Promise<BenchRow[]> {
  const concurrent = 1000;
  const stateDir = await mkdtemp(join(tmpdir(), 'maml-bench-submit-'));
  try {
    return await measure(await startServeChild(CLI, stateDir, ['--heads', 'quantum:2', ...extraArgs]));
  } finally {
    await rm(stateDir, { recursive: true, force: true });
  }

  async function measure({ url, child }: ServeChild): Promise<BenchRow[]> {
    try {
      const t0 = performance.now();
      const answers = await Promise.all(Array.from({ length: concurrent }, () => submit(url)));
      const answeredMs = performance.now() - t0;
      // Until every accepted run has finished (bounded).
      while ((await admitted(url)) > 0 && performance.now() - t0 < LIMIT_MS)
        await new Promise((r) => setTimeout(r, 250));
      const finishedMs = performance.now() - t0;
      const count = (status: number): number => answers.filter((a) => a.outcome === status).length;
      const failures = answers.filter((a) => typeof a.outcome === 'string');
      const causes = new Map<string, number>();
      for (const f of failures) causes.set(String(f.outcome), (causes.get(String(f.outcome)) ?? 0) + 1);
      const other = answers.filter((a) => typeof a.outcome === 'number' && ![202, 429, 503].includes(a.outcome));
      const noRetryAfter = answers.filter((a) => (a.outcome === 429 || a.outcome === 503) && !a.retryAfter).length;
      const latencies = answers
        .filter((a) => typeof a.outcome === 'number')
        .map((a) => a.ms)
        .sort((a, b) => a - b);
      const p = (q: number): number => Math.round(percentile(latencies, q));
      log(
        `${label}: 202 ${count(202)}, 429 ${count(429)}, 503 ${count(503)} (${noRetryAfter} without Retry-After), other ${other.length}, connection errors ${failures.length}${causes.size ? ` (${[...causes].map(([k, v]) => `${k} ${v}`).join(', ')})` : ''}; answers p50 ${p(50)} ms, p90 ${p(90)} ms, p99 ${p(99)} ms, max ${p(100)} ms; all answered in ${Math.round(answeredMs)} ms, accepted runs finished in ${Math.round(finishedMs)} ms`,
      );
      const row = (name: string, value: number, unit: string, extra: Partial<BenchRow> = {}): BenchRow => ({
        suite: 'server-submit',
        case: `${concurrent} concurrent POST /v1/runs, ${label}: ${name}`,
        value,
        unit,
        ...extra,
      });
      return [
        row('202 accepted', count(202), 'answers'),
        row('429 / 503 with Retry-After', count(429) + count(503), 'answers', {
          note: `${noRetryAfter} without Retry-After, ${other.length} other statuses`,
        }),
        row('connection errors', failures.length, 'requests', {
          target: '= 0',
          met: failures.length === 0 && other.length === 0 && noRetryAfter === 0,
          ...(causes.size ? { note: [...causes].map(([k, v]) => `${k} ${v}`).join(', ') } : {}),
        }),
        row('answer p50', p(50), 'ms'),
        row('answer p99', p(99), 'ms', { note: `max ${p(100)} ms` }),
        row('every accepted run finished', finishedMs, 'ms', {
          note: `all answered after ${Math.round(answeredMs)} ms`,
        }),
      ];
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  }
}

export const serverSubmitSuite: BenchSuite = {
  name: 'server-submit',
  async run({ log }) {
    return [
      ...(await phase('default --max-runs', [], log)),
      ...(await phase('--max-runs 200', ['--max-runs', '200'], log)),
    ];
  },
};
