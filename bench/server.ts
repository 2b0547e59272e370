/**
 * Gateway benchmarks on loopback: POST /v1/validate of a 10 KiB document under autocannon at 50 and 200
 * connections (p50/p99 latency, requests/s; target p99 < 100 ms at 200), 1,000 runs submitted at once all
 * completing with every ticket in the audit log (counted in the database and checked against the log size), and
 * WebSocket event delivery latency (event stored → client received; target p99 < 50 ms).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import WebSocket from 'ws';
import { tenKiBDocument } from '../src/server/load/bench-document.js';
import { startServeChild, type ServeChild } from '../src/server/load/serve-child.js';
import type { BenchRow, BenchSuite } from './harness.js';

const CLI = fileURLToPath(new URL('../../dist/cli/bin.js', import.meta.url));

/** `maml serve` in its own process, so the load generator does not share the gateway's event loop. */
function startServe(stateDir: string): Promise<ServeChild> {
  // The gateway's default pool size (CPU cores - 1, at most 8) unless set here.
  const threads = process.env['MAML_BENCH_VALIDATE_THREADS'];
  return startServeChild(CLI, stateDir, ['--heads', 'quantum:2', ...(threads ? ['--validate-threads', threads] : [])]);
}

async function runStatus(url: string, id: string): Promise<{ status: string; tickets: unknown[] }> {
  for (;;) {
    const run = (await (await fetch(`${url}/v1/runs/${id}`)).json()) as { status: string; tickets: unknown[] };
    if (run.status !== 'running') return run;
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function logSize(url: string): Promise<number> {
  return ((await (await fetch(`${url}/v1/audit/checkpoint`)).json()) as { size: number }).size;
}

const HEAD = `---\nmaml_version: "1.0"\nid: "urn:uuid:6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f"\ntype: workflow\norigin: "agent://bench"\ntags: [bench]\n---\n\n`;
/**
 * One OpenQASM block: ~1 ms of engine time, so the runs measure the gateway, scheduler and tickets. It includes
 * the standard gates, which the simulator needs for `x` (the validation document above is only validated).
 */
const RUN_QASM = 'OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit q;\nbit c;\nx q;\nc = measure q;';
const RUN_DOC = `${HEAD}## Intent\n\nOne tiny circuit.\n\n## Code_Blocks\n\n\`\`\`qasm {#flip shots=8}\n${RUN_QASM}\n\`\`\`\n`;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

export const serverSuite: BenchSuite = {
  name: 'server',
  async run({ quick, log }) {
    const rows: BenchRow[] = [];
    const stateDir = await mkdtemp(join(tmpdir(), 'maml-bench-server-'));
    const { url, child } = await startServe(stateDir);
    try {
      // 1. Validation throughput and latency.
      const body = tenKiBDocument();
      log(`validate document: ${body.length} bytes`);
      // Warm-up (JIT, connection setup) that is not reported.
      await autocannon({
        url: `${url}/v1/validate`,
        method: 'POST',
        headers: { 'content-type': 'text/markdown' },
        body,
        connections: 10,
        duration: 1,
      });
      for (const connections of [50, 200]) {
        const result = await autocannon({
          url: `${url}/v1/validate`,
          method: 'POST',
          headers: { 'content-type': 'text/markdown' },
          body,
          connections,
          duration: quick ? 2 : 8,
        });
        const non2xx = result.non2xx + result.errors;
        log(
          `validate @${connections}: p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ${result.requests.average} req/s, ${non2xx} failures`,
        );
        rows.push(
          { suite: 'server', case: `validate 10 KiB @${connections} conns p50`, value: result.latency.p50, unit: 'ms' },
          {
            suite: 'server',
            case: `validate 10 KiB @${connections} conns p99`,
            value: result.latency.p99,
            unit: 'ms',
            ...(connections === 200 ? { target: '< 100 ms', met: result.latency.p99 < 100 } : {}),
            note: `${non2xx} non-2xx or errors`,
          },
          {
            suite: 'server',
            case: `validate 10 KiB @${connections} conns`,
            value: result.requests.average,
            unit: 'req/s',
          },
        );
      }

      // 2. Many runs submitted at once; all must finish with one logged ticket each.
      const runs = quick ? 100 : 1000;
      const logBefore = await logSize(url);
      const t0 = performance.now();
      const ids = await Promise.all(
        Array.from({ length: runs }, async () => {
          const res = await fetch(`${url}/v1/runs`, {
            method: 'POST',
            headers: { 'content-type': 'text/markdown' },
            body: RUN_DOC,
          });
          return ((await res.json()) as { id: string }).id;
        }),
      );
      const finished = [];
      for (const id of ids) finished.push(await runStatus(url, id));
      const wall = performance.now() - t0;
      const counts = new Map<string, number>();
      for (const r of finished) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
      const statuses = [...counts].map(([k, v]) => `${k}=${v}`);
      const tickets = finished.reduce((n, r) => n + r.tickets.length, 0);
      const logged = (await logSize(url)) - logBefore;
      log(
        `${runs} runs in ${wall.toFixed(0)} ms: ${statuses.join(', ')}; ${tickets} tickets, ${logged} new log entries`,
      );
      rows.push(
        {
          suite: 'server',
          case: `${runs} concurrent runs, wall time`,
          value: wall,
          unit: 'ms',
          note: statuses.join(' '),
        },
        {
          suite: 'server',
          case: `${runs} concurrent runs: tickets in the audit log`,
          value: tickets,
          unit: 'tickets',
          target: `= ${runs} (one per block)`,
          met: tickets === runs && logged === runs && statuses.join() === `succeeded=${runs}`,
        },
      );

      // 3. WebSocket delivery latency: from the event's store time (server clock) to receipt (same machine).
      const sockets = quick ? 5 : 20;
      const perSocket = quick ? 5 : 20;
      const latencies: number[] = [];
      const clients = await Promise.all(
        Array.from(
          { length: sockets },
          () =>
            new Promise<WebSocket>((resolve, reject) => {
              const ws = new WebSocket(`${url.replace('http', 'ws')}/v1/ws`);
              ws.once('open', () => resolve(ws));
              ws.once('error', reject);
            }),
        ),
      );
      await Promise.all(
        clients.map(async (ws) => {
          for (let i = 0; i < perSocket; i++) {
            const res = await fetch(`${url}/v1/runs`, {
              method: 'POST',
              headers: { 'content-type': 'text/markdown' },
              body: RUN_DOC,
            });
            const { id } = (await res.json()) as { id: string };
            await new Promise<void>((resolve) => {
              const onMessage = (raw: WebSocket.RawData): void => {
                const received = Date.now();
                const m = JSON.parse(raw.toString()) as { type: string; runId: string; event?: { at: string } };
                if (m.runId !== id) return;
                // Only events that happened after subscribing count: replayed ones are not delivery latency.
                const at = m.event ? Date.parse(m.event.at) : NaN;
                if (m.type === 'event' && at >= subscribedAt) latencies.push(received - at);
                if (m.type === 'finished' || m.type === 'error') {
                  ws.off('message', onMessage);
                  resolve();
                }
              };
              const subscribedAt = Date.now();
              ws.on('message', onMessage);
              ws.send(JSON.stringify({ type: 'subscribe', runId: id }));
            });
          }
          ws.close();
        }),
      );
      latencies.sort((a, b) => a - b);
      log(
        `websocket: ${latencies.length} events, p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms`,
      );
      rows.push(
        { suite: 'server', case: 'WebSocket event delivery p50', value: percentile(latencies, 50), unit: 'ms' },
        {
          suite: 'server',
          case: 'WebSocket event delivery p99',
          value: percentile(latencies, 99),
          unit: 'ms',
          target: '< 50 ms',
          met: percentile(latencies, 99) < 50,
          note: `${latencies.length} live events on ${sockets} sockets`,
        },
      );
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      await rm(stateDir, { recursive: true, force: true });
    }
    return rows;
  },
};
