/**
 * The durable block queue (docs/durable-runs.md) on this machine's PostgreSQL (MAML_TEST_DATABASE_URL, else
 * 127.0.0.1:5432), each phase in a fresh database, every process real: `maml serve` and `maml worker`.
 *
 * - Throughput of trivial blocks (a one-qubit OpenQASM circuit: it runs on the head's thread, so the queue is what
 *   is measured) with 1, 2 and 4 workers of one quantum head each.
 * - Queue overhead per block: p50 of a one-block run's duration, one run at a time, through the queue
 *   (`--no-local-heads`, one worker) minus the same on local heads (`maml serve` on PostgreSQL without --queue).
 * - Time from a worker's death (kill -9 while it runs a slow block) to the block's next attempt starting on the
 *   other worker, with a 2 s lease (bounded by the lease, a quarter of it for the sweep, and a fetch).
 * - 2,000 runs submitted at once to a gateway with 4 workers: how many succeed, how many tickets (one each).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { BenchRow, BenchSuite } from './harness.js';

const CLI = fileURLToPath(new URL('../../dist/cli/bin.js', import.meta.url));
const ADMIN =
  process.env['MAML_TEST_DATABASE_URL'] || process.env['DATABASE_URL'] || 'postgres://postgres@127.0.0.1:5432/postgres';

const doc = (name: string, body: string): string =>
  `---\nmaml_version: "1.0"\nid: "urn:uuid:5f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f"\ntype: workflow\norigin: "agent://bench"\n---\n\n## Intent\n\n${name}\n\n## Code_Blocks\n\n${body}\n`;
const TRIVIAL = doc(
  'One tiny circuit.',
  '```qasm {#flip shots=8 seed=1}\nOPENQASM 3.0;\ninclude "stdgates.inc";\nqubit q;\nbit c;\nx q;\nc = measure q;\n```',
);
const SLOW = doc(
  'A circuit that takes a while.',
  '```qasm {#slow shots=1000000 seed=1}\nOPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[18] q;\nbit[18] c;\nfor int i in [0:17] { h q[i]; }\nc = measure q;\n```',
);

interface Child {
  readonly child: ChildProcess;
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>;
}

const children = new Set<ChildProcess>();

function start(args: readonly string[], env: Record<string, string>): Child {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.on('exit', () => children.delete(child));
  let text = '';
  child.stdout?.on('data', (c: Buffer) => (text += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (text += c.toString()));
  return {
    child,
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        const timer = setInterval(() => {
          const m = pattern.exec(text);
          if (m) {
            clearInterval(timer);
            resolve(m);
          } else if (child.exitCode !== null) {
            clearInterval(timer);
            reject(new Error(`exited: ${text.slice(-2000)}`));
          }
        }, 20);
      }),
  };
}

async function stopAll(): Promise<void> {
  const all = [...children];
  for (const c of all) c.kill('SIGKILL');
  await Promise.all(
    all.map((c) => new Promise((resolve) => (c.exitCode !== null ? resolve(0) : c.once('exit', resolve)))),
  );
}

class Phase {
  readonly url: string;
  readonly sql: pg.Pool;
  readonly keyring = mkdtempSync(join(tmpdir(), 'maml-bench-queue-'));
  base = '';

  private constructor(
    readonly name: string,
    private readonly control: pg.Client,
  ) {
    const url = new URL(ADMIN);
    url.pathname = `/${name}`;
    this.url = url.toString();
    this.sql = new pg.Pool({ connectionString: this.url, max: 2 });
    this.sql.on('error', () => undefined);
  }

  static async open(): Promise<Phase> {
    const control = new pg.Client({ connectionString: ADMIN });
    await control.connect();
    const name = `maml_bench_queue_${randomBytes(4).toString('hex')}`;
    await control.query(`CREATE DATABASE ${name}`);
    return new Phase(name, control);
  }

  async gateway(args: readonly string[]): Promise<void> {
    const gw = start(
      ['serve', '--auth', 'none', '--port', '0', '--rate-limit', '0', '--validate-threads', '0', ...args],
      { DATABASE_URL: this.url, MAML_KEYRING: this.keyring, MAML_KEY_PASSPHRASE: '' },
    );
    this.base = (await gw.waitFor(/listening on (http:\/\/\S+)/))[1] ?? '';
  }

  async worker(name: string): Promise<Child> {
    const w = start(['worker', '--name', name, '--heads', 'quantum:1'], {
      DATABASE_URL: this.url,
      MAML_KEYRING: join(this.keyring, name),
      MAML_KEY_PASSPHRASE: '',
    });
    await w.waitFor(/ready/);
    const trust = start(['workers', 'trust', name], { DATABASE_URL: this.url, MAML_KEYRING: this.keyring });
    await new Promise((resolve) => trust.child.once('exit', resolve));
    return w;
  }

  async submit(text: string): Promise<string> {
    for (;;) {
      const res = await fetch(`${this.base}/v1/runs`, {
        method: 'POST',
        headers: { 'content-type': 'text/markdown' },
        body: text,
      });
      const body = (await res.json()) as { id?: string };
      if (res.status === 202 && body.id) return body.id;
      if (res.status !== 503) throw new Error(`submit: ${res.status} ${JSON.stringify(body)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  async finished(ids: readonly string[], limitMs = 10 * 60_000): Promise<Map<string, string>> {
    const deadline = Date.now() + limitMs;
    for (;;) {
      const rows = (
        await this.sql.query(`SELECT id, status FROM maml.runs WHERE id = ANY($1) AND status <> 'running'`, [ids])
      ).rows as { id: string; status: string }[];
      if (rows.length === ids.length || Date.now() > deadline) return new Map(rows.map((r) => [r.id, r.status]));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async close(): Promise<void> {
    await stopAll();
    await this.sql.end();
    await this.control.query(`DROP DATABASE IF EXISTS ${this.name} WITH (FORCE)`);
    await this.control.end();
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** Durations of `n` one-block runs submitted one after another (the run's own recorded start to finish). */
async function sequentialDurations(phase: Phase, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const id = await phase.submit(TRIVIAL);
    await phase.finished([id]);
    const row = (
      await phase.sql.query(
        'SELECT extract(epoch FROM finished_at - started_at)::float8 * 1000 AS ms FROM maml.runs WHERE id = $1',
        [id],
      )
    ).rows[0] as { ms: number };
    out.push(row.ms);
  }
  return out;
}

export const queueSuite: BenchSuite = {
  name: 'queue',
  async run({ quick, log }) {
    const rows: BenchRow[] = [];
    const suite = 'queue';
    const probe = new pg.Client({ connectionString: ADMIN, connectionTimeoutMillis: 1500 });
    try {
      await probe.connect();
      await probe.end();
    } catch {
      log(`skipped: no PostgreSQL at ${ADMIN}`);
      return rows;
    }
    const blocks = quick ? 20 : 200;

    for (const workers of [1, 2, 4]) {
      const phase = await Phase.open();
      try {
        await phase.gateway(['--no-local-heads']);
        await Promise.all(Array.from({ length: workers }, (_, i) => phase.worker(`w${i + 1}`)));
        const t0 = performance.now();
        const ids = await Promise.all(Array.from({ length: blocks }, () => phase.submit(TRIVIAL)));
        const done = await phase.finished(ids);
        const s = (performance.now() - t0) / 1000;
        const ok = [...done.values()].filter((v) => v === 'succeeded').length;
        log(`${workers} worker(s): ${ok}/${blocks} runs in ${s.toFixed(1)} s`);
        rows.push({
          suite,
          case: `throughput, ${workers} worker${workers > 1 ? 's' : ''} (1 quantum head each)`,
          value: ok / s,
          unit: 'blocks/s',
          note: `${blocks} one-block runs submitted at once`,
        });
      } finally {
        await phase.close();
      }
    }

    const n = quick ? 5 : 30;
    const measure = async (queue: boolean): Promise<number[]> => {
      const phase = await Phase.open();
      try {
        await phase.gateway(queue ? ['--no-local-heads'] : ['--heads', 'quantum:1']);
        if (queue) await phase.worker('w1');
        await sequentialDurations(phase, 3);
        return await sequentialDurations(phase, n);
      } finally {
        await phase.close();
      }
    };
    const local = await measure(false);
    const queued = await measure(true);
    const overhead = median(queued) - median(local);
    log(`one-block run p50: local heads ${median(local).toFixed(1)} ms, queue ${median(queued).toFixed(1)} ms`);
    rows.push({
      suite,
      case: 'queue overhead per block (p50 run duration, queue − local heads)',
      value: overhead,
      unit: 'ms',
      target: '< 10 ms',
      met: overhead < 10,
      note: `local ${median(local).toFixed(1)} ms, queue ${median(queued).toFixed(1)} ms, ${n} sequential runs each`,
    });

    {
      const phase = await Phase.open();
      try {
        await phase.gateway(['--no-local-heads', '--lease', '2']);
        const workers = new Map([
          ['w1', await phase.worker('w1')],
          ['w2', await phase.worker('w2')],
        ]);
        const id = await phase.submit(SLOW);
        let running = '';
        while (!running) {
          const row = (
            await phase.sql.query(`SELECT worker FROM maml.block_attempts WHERE run_id = $1 AND state = 'running'`, [
              id,
            ])
          ).rows[0] as { worker: string } | undefined;
          running = row?.worker ?? '';
          if (!running) await new Promise((resolve) => setTimeout(resolve, 10));
        }
        const killedAt = Date.now();
        workers.get(running)?.child.kill('SIGKILL');
        let startedAt = 0;
        for (;;) {
          const row = (
            await phase.sql.query(
              `SELECT (extract(epoch FROM started_at) * 1000)::float8 AS at FROM maml.block_attempts WHERE run_id = $1 AND attempt = 2`,
              [id],
            )
          ).rows[0] as { at: number } | undefined;
          if (row) {
            startedAt = row.at;
            break;
          }
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        const s = (startedAt - killedAt) / 1000;
        rows.push({
          suite,
          case: 'worker killed (kill -9) to its block running on another worker, lease 2 s',
          value: s,
          unit: 's',
          target: '< 5 s',
          met: s < 5,
          note: 'bounded by the lease + a quarter lease (sweep) + a fetch',
        });
        await phase.finished([id]);
      } finally {
        await phase.close();
      }
    }

    {
      const runs = quick ? 100 : 2000;
      const phase = await Phase.open();
      try {
        await phase.gateway(['--no-local-heads', '--max-runs', String(runs)]);
        await Promise.all([1, 2, 3, 4].map((i) => phase.worker(`w${i}`)));
        const t0 = performance.now();
        const ids: string[] = [];
        for (let i = 0; i < runs; i += 100)
          ids.push(
            ...(await Promise.all(Array.from({ length: Math.min(100, runs - i) }, () => phase.submit(TRIVIAL)))),
          );
        const done = await phase.finished(ids, 20 * 60_000);
        const s = (performance.now() - t0) / 1000;
        const ok = [...done.values()].filter((v) => v === 'succeeded').length;
        const tickets = Number(
          (await phase.sql.query('SELECT count(DISTINCT (run_id, block_id))::int AS n FROM maml.tickets', [])).rows[0]
            ?.n,
        );
        log(`${runs} queued runs: ${ok} succeeded, ${tickets} tickets, ${s.toFixed(1)} s`);
        rows.push({
          suite,
          case: `${runs} runs queued at once, 4 workers: runs lost`,
          value: runs - ok,
          unit: 'runs',
          target: '0',
          met: ok === runs && tickets === runs,
          note: `${ok} succeeded, ${tickets} tickets (one per block), ${s.toFixed(0)} s`,
        });
      } finally {
        await phase.close();
      }
    }
    return rows;
  },
};
