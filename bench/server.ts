/**
 * Gateway benchmarks on loopback: POST /v1/validate of a 10 KiB document under autocannon at 50 and 200
 * connections (p50/p99 latency, requests/s; target p99 < 100 ms at 200), 1,000 runs submitted at once all
 * completing with every ticket in the audit log (counted in the database and checked against the log size), and
 * WebSocket event delivery latency (event stored → client received; target p99 < 50 ms).
 */
import autocannon from 'autocannon';
import WebSocket from 'ws';
import { createGateway } from '../src/server/index.js';
import type { BenchRow, BenchSuite } from './harness.js';

const HEAD = `---\nmaml_version: "1.0"\nid: "urn:uuid:6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f"\ntype: workflow\norigin: "agent://bench"\ntags: [bench]\n---\n\n`;
const QASM = 'OPENQASM 3.0;\nqubit q;\nbit c;\nx q;\nc = measure q;';

/** A valid document of about 10 KiB: Intent prose and a few dozen small OpenQASM blocks. */
function tenKiBDocument(): string {
  const blocks: string[] = [];
  let text = '';
  for (let i = 0; text.length < 10_240; i++) {
    blocks.push(`\`\`\`qasm {#b${i}${i > 0 ? ` needs=b${i - 1}` : ''} shots=8}\n${QASM}\n\`\`\`\n`);
    text = `${HEAD}## Intent\n\nLoad test document: a chain of small circuits.\n\n## Code_Blocks\n\n${blocks.join('\n')}`;
  }
  return text;
}

/** One OpenQASM block: ~1 ms of engine time, so the runs measure the gateway, scheduler and tickets. */
const RUN_DOC = `${HEAD}## Intent\n\nOne tiny circuit.\n\n## Code_Blocks\n\n\`\`\`qasm {#flip shots=8}\n${QASM}\n\`\`\`\n`;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

export const serverSuite: BenchSuite = {
  name: 'server',
  async run({ quick, log }) {
    const rows: BenchRow[] = [];
    const gateway = await createGateway({
      auth: { mode: 'none' },
      rateLimit: false,
      heads: [{ headClass: 'quantum', count: 2 }],
    });
    const url = await gateway.listen(0, '127.0.0.1');
    try {
      // 1. Validation throughput and latency.
      const body = tenKiBDocument();
      log(`validate document: ${body.length} bytes`);
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
      const { services } = gateway;
      const logBefore = services.log.size;
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
      while (services.runs.size > 0) await new Promise((r) => setTimeout(r, 20));
      const wall = performance.now() - t0;
      const idList = ids.filter(Boolean);
      const statuses = (
        await services.db.query('SELECT status, count(*) AS n FROM maml.runs WHERE id = ANY($1) GROUP BY status', [
          idList,
        ])
      ).rows.map((r) => `${String(r['status'])}=${String(r['n'])}`);
      const tickets = Number(
        (await services.db.query('SELECT count(*) AS n FROM maml.tickets WHERE run_id = ANY($1)', [idList])).rows[0]?.[
          'n'
        ],
      );
      const logged = services.log.size - logBefore;
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
      await gateway.close();
    }
    return rows;
  },
};
