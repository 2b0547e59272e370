/**
 * Durable runs with real processes on a real PostgreSQL (a fresh database per file, loopback only): a gateway
 * (`maml serve --queue --no-local-heads`) and `maml worker` processes.
 *
 * - 50 runs of a 4-block diamond spread over two workers: every run succeeds, each block has exactly one ticket,
 *   `maml audit verify` passes.
 * - A worker whose keys nobody trusted cannot get its tickets accepted.
 * - kill -9 of the worker running a slow block: the block is retried on the other worker once the lease runs out;
 *   the run succeeds with one ticket per block, and the regenerate event names the lost head and why.
 * - kill -9 of the gateway mid-run, then a new gateway: it takes the run over and completes it; an SSE client
 *   that reconnects with Last-Event-ID gets every later event once, in order.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { CLI, ROOT } from '../helpers/paths.js';
import { runCli } from '../helpers/run-cli.js';
import { freshPostgres, type TestDatabase } from './databases.js';

const DIAMOND = `---
maml_version: "1.0"
id: "urn:uuid:0d1a2b3c-4d5e-4f60-8172-839405a6b7c8"
type: workflow
origin: "agent://test"
---

## Intent

A diamond: a, then b and c, then d (bash: the cheapest block to start).

## Code_Blocks

\`\`\`bash {#a}
[[ $MAML_INPUTS =~ \\"n\\":([0-9]+) ]] && maml_output a "\${BASH_REMATCH[1]}"
\`\`\`

\`\`\`bash {#b needs=a}
[[ $MAML_INPUTS =~ \\"a\\":([0-9]+) ]] && maml_output b $(( BASH_REMATCH[1] + 1 ))
\`\`\`

\`\`\`bash {#c needs=a}
[[ $MAML_INPUTS =~ \\"a\\":([0-9]+) ]] && maml_output c $(( BASH_REMATCH[1] * 10 ))
\`\`\`

\`\`\`bash {#d needs=b,c}
[[ $MAML_INPUTS =~ \\"b\\":([0-9]+) ]] && b=\${BASH_REMATCH[1]}
[[ $MAML_INPUTS =~ \\"c\\":([0-9]+) ]] && maml_output d $(( b + BASH_REMATCH[1] ))
\`\`\`
`;

/** a, then a slow b (it writes nothing elsewhere: a retry repeats it harmlessly), then c. */
const SLOW = (ms: number): string => `---
maml_version: "1.0"
id: "urn:uuid:1d1a2b3c-4d5e-4f60-8172-839405a6b7c8"
type: workflow
origin: "agent://test"
---

## Intent

A slow block in the middle.

## Code_Blocks

\`\`\`javascript {#first}
maml.output("x", 2)
\`\`\`

\`\`\`javascript {#slow needs=first}
const until = Date.now() + ${ms};
while (Date.now() < until) {}
maml.output("y", maml.inputs.x * 3)
\`\`\`

\`\`\`javascript {#last needs=slow}
maml.output("z", maml.inputs.y + 1)
\`\`\`
`;

const QASM = `---
maml_version: "1.0"
id: "urn:uuid:2d1a2b3c-4d5e-4f60-8172-839405a6b7c8"
type: workflow
origin: "agent://test"
---

## Intent

One circuit, for the quantum head of the untrusted worker.

## Code_Blocks

\`\`\`qasm {#bell shots=64 seed=7}
OPENQASM 3.0;
include "stdgates.inc";
qubit[2] q;
bit[2] c;
h q[0];
cx q[0], q[1];
c = measure q;
\`\`\`
`;

interface Proc {
  readonly child: ChildProcess;
  readonly output: () => string;
  /** Resolves with the first match of `pattern` in the output so far or later. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
}

const procs = new Set<ChildProcess>();

function start(args: readonly string[], env: Record<string, string>): Proc {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  procs.add(child);
  child.on('exit', () => procs.delete(child));
  let text = '';
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer): void => {
    text += chunk.toString('utf8');
    for (const w of [...waiters]) w();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  return {
    child,
    output: () => text,
    waitFor: (pattern, timeoutMs = 60_000) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          const match = pattern.exec(text);
          if (!match) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(match);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no ${String(pattern)} within ${timeoutMs} ms; output:\n${text}`));
        }, timeoutMs);
        waiters.add(check);
        child.once('exit', (code) => {
          if (waiters.has(check)) {
            waiters.delete(check);
            clearTimeout(timer);
            reject(new Error(`exited ${String(code)} before ${String(pattern)}; output:\n${text}`));
          }
        });
        check();
      }),
  };
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

let database: TestDatabase | string;
let url = '';
let sql: pg.Pool;
const gatewayKeyring = mkdtempSync(join(tmpdir(), 'maml-durable-gateway-'));
let gateway: Proc;
let base = '';
const workers = new Map<string, Proc>();

const LEASE_S = 3;

async function startGateway(): Promise<void> {
  gateway = start(
    [
      'serve',
      '--queue',
      '--no-local-heads',
      '--lease',
      String(LEASE_S),
      '--auth',
      'none',
      '--port',
      '0',
      '--validate-threads',
      '0',
      '--unsafe-no-sandbox',
    ],
    { DATABASE_URL: url, MAML_KEYRING: gatewayKeyring },
  );
  base = (await gateway.waitFor(/listening on (http:\/\/\S+)/))[1] ?? '';
}

/** Each worker's keyring: a worker started again under its name keeps its keys, and so their endorsements. */
const keyrings = new Map<string, string>();

async function startWorker(name: string, heads: string): Promise<Proc> {
  const keyring = keyrings.get(name) ?? mkdtempSync(join(tmpdir(), `maml-durable-${name}-`));
  keyrings.set(name, keyring);
  const worker = start(['worker', '--name', name, '--heads', heads, '--allow-unsafe-no-sandbox', '--grace', '5'], {
    DATABASE_URL: url,
    MAML_KEYRING: keyring,
  });
  await worker.waitFor(new RegExp(`maml worker ${name} ready`));
  workers.set(name, worker);
  return worker;
}

function cli(args: readonly string[]): ReturnType<typeof runCli> {
  return runCli(args, { env: { DATABASE_URL: url, MAML_KEYRING: gatewayKeyring } });
}

async function submit(document: string, inputs: Record<string, unknown> = {}): Promise<string> {
  const response = await fetch(`${base}/v1/runs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ document, inputs }),
  });
  const body = (await response.json()) as { id?: string };
  assert.equal(response.status, 202, JSON.stringify(body));
  return body.id ?? '';
}

/** Waits until every run has left `running` in the database (the queue's processes may change over time). */
async function settled(ids: readonly string[], timeoutMs = 90_000): Promise<Map<string, string>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = (await sql.query('SELECT id, status FROM maml.runs WHERE id = ANY($1)', [ids])).rows as {
      id: string;
      status: string;
    }[];
    if (rows.length === ids.length && rows.every((r) => r.status !== 'running'))
      return new Map(rows.map((r) => [r.id, r.status]));
    if (Date.now() > deadline) throw new Error(`runs still running: ${JSON.stringify(rows)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Blocks of the run without exactly one ticket, and the ticket count. */
async function ticketProblems(runIds: readonly string[]): Promise<{ wrong: unknown[]; total: number }> {
  const wrong = (
    await sql.query(
      `SELECT b.run_id, b.block_id, count(t.log_index)::int AS tickets FROM maml.block_executions b
       LEFT JOIN maml.tickets t ON t.run_id = b.run_id AND t.block_id = b.block_id
       WHERE b.run_id = ANY($1) GROUP BY 1, 2 HAVING count(t.log_index) <> 1`,
      [runIds],
    )
  ).rows;
  const total = Number(
    (await sql.query('SELECT count(*)::int AS n FROM maml.tickets WHERE run_id = ANY($1)', [runIds])).rows[0]?.n,
  );
  return { wrong, total };
}

const skip = await (async () => {
  database = await freshPostgres();
  return typeof database === 'string' ? database : false;
})();

before(async () => {
  if (typeof database === 'string') return;
  url = database.url ?? '';
  sql = new pg.Pool({ connectionString: url, max: 2 });
  // The database is dropped WITH (FORCE) at the end, which ends idle connections.
  sql.on('error', () => undefined);
  await startGateway();
  await Promise.all([startWorker('w1', 'ai:2'), startWorker('w2', 'ai:2')]);
  for (const name of ['w1', 'w2']) {
    const trusted = cli(['workers', 'trust', name]);
    assert.equal(trusted.code, 0, trusted.stderr);
    assert.match(trusted.stdout, /trusted [0-9a-f]{32} \(w\d\/ai-1\)/);
  }
});

after(async () => {
  for (const child of procs) child.kill('SIGKILL');
  await sql?.end();
  if (typeof database !== 'string') await database.drop();
});

test(
  '50 diamond runs over two workers: all succeed, one ticket per block, the audit log verifies',
  { skip },
  async () => {
    const ids = await Promise.all(Array.from({ length: 50 }, (_, i) => submit(DIAMOND, { n: i })));
    const statuses = await settled(ids);
    assert.deepEqual([...new Set(statuses.values())], ['succeeded']);
    const outputs = (await sql.query('SELECT id, outputs, inputs FROM maml.runs WHERE id = ANY($1)', [ids])).rows as {
      outputs: { d: number };
      inputs: { n: number };
    }[];
    for (const row of outputs) assert.equal(row.outputs.d, row.inputs.n + 1 + row.inputs.n * 10);
    const { wrong, total } = await ticketProblems(ids);
    assert.deepEqual(wrong, []);
    assert.equal(total, 200);
    const byWorker = (
      await sql.query(
        `SELECT worker, count(*)::int AS n FROM maml.block_attempts WHERE run_id = ANY($1) GROUP BY worker ORDER BY worker`,
        [ids],
      )
    ).rows as { worker: string; n: number }[];
    assert.deepEqual(
      byWorker.map((r) => r.worker),
      ['w1', 'w2'],
      'both workers took blocks',
    );
    // One successful delivery per block (a machine too loaded to heartbeat within the lease may add lost ones).
    const succeeded = (
      await sql.query(
        `SELECT count(DISTINCT (run_id, block_id))::int AS blocks, count(*)::int AS n FROM maml.block_attempts
       WHERE run_id = ANY($1) AND state = 'succeeded'`,
        [ids],
      )
    ).rows[0] as { blocks: number; n: number };
    assert.deepEqual(succeeded, { blocks: 200, n: 200 });
    const listed = cli(['workers', '--json']);
    assert.equal(listed.code, 0, listed.stderr);
    const live = (JSON.parse(listed.stdout) as { workers: { name: string; state: string; trustedKeys: number }[] })
      .workers;
    assert.deepEqual(
      live.map((w) => [w.name, w.state, w.trustedKeys]),
      [
        ['w1', 'live', 2],
        ['w2', 'live', 2],
      ],
    );
    const audit = cli(['audit', 'verify']);
    assert.equal(audit.code, 0, audit.stdout + audit.stderr);
    assert.match(audit.stdout, /verified/);
  },
);

test('a worker whose keys nobody trusted cannot get its tickets accepted', { skip }, async () => {
  const rogue = await startWorker('w3', 'quantum:1');
  assert.match(rogue.output(), /1 not trusted yet: maml workers trust w3/);
  const id = await submit(QASM);
  const statuses = await settled([id]);
  assert.equal(statuses.get(id), 'failed');
  const run = (await sql.query('SELECT error FROM maml.runs WHERE id = $1', [id])).rows[0] as {
    error: { code: string; message: string };
  };
  assert.equal(run.error.code, 'crypto');
  assert.match(run.error.message, /ticket of worker w3 is not accepted: its key [0-9a-f]{32} is not trusted/);
  assert.match(run.error.message, /maml workers trust w3/);
  assert.equal((await ticketProblems([id])).total, 0);
  // Once trusted, the same worker's tickets are accepted.
  assert.equal(cli(['workers', 'trust', 'w3']).code, 0);
  const again = await submit(QASM);
  assert.equal((await settled([again])).get(again), 'succeeded');
  assert.equal((await ticketProblems([again])).total, 1);
  rogue.child.kill('SIGTERM');
  assert.equal(await exited(rogue.child), 0);
});

test('kill -9 of the worker running a block: retried on the other worker after the lease', { skip }, async () => {
  const id = await submit(SLOW(1500));
  const running = await until('the slow block to start', async () => {
    const row = (
      await sql.query(
        `SELECT worker, head FROM maml.block_attempts WHERE run_id = $1 AND block_id = 'slow' AND state = 'running' AND head IS NOT NULL`,
        [id],
      )
    ).rows[0] as { worker: string; head: string } | undefined;
    return row;
  });
  const victim = workers.get(running.worker);
  assert.ok(victim, running.worker);
  victim.child.kill('SIGKILL');
  await exited(victim.child);
  const statuses = await settled([id]);
  assert.equal(statuses.get(id), 'succeeded');
  const attempts = (
    await sql.query(
      `SELECT attempt, worker, state FROM maml.block_attempts WHERE run_id = $1 AND block_id = 'slow' ORDER BY attempt`,
      [id],
    )
  ).rows as { attempt: number; worker: string; state: string }[];
  const survivor = running.worker === 'w1' ? 'w2' : 'w1';
  assert.deepEqual(
    attempts.map((a) => [a.attempt, a.worker, a.state]),
    [
      [1, running.worker, 'lost'],
      [2, survivor, 'succeeded'],
    ],
  );
  const { wrong, total } = await ticketProblems([id]);
  assert.deepEqual(wrong, []);
  assert.equal(total, 3);
  const regenerate = (
    await sql.query(`SELECT data FROM maml.events WHERE run_id = $1 AND type = 'regenerate'`, [id])
  ).rows.map((r: { data: unknown }) => r.data) as { head: string; attempt: number; reason: string }[];
  assert.equal(regenerate.length, 1);
  assert.equal(regenerate[0]?.head, running.head);
  assert.equal(regenerate[0]?.attempt, 2);
  assert.match(regenerate[0]?.reason ?? '', new RegExp(`worker ${running.worker} stopped heartbeating`));
  const outputs = (await sql.query('SELECT outputs FROM maml.runs WHERE id = $1', [id])).rows[0] as {
    outputs: { z: number };
  };
  assert.equal(outputs.outputs.z, 7);
  // Bring the pool back to two workers for the next test: the same worker, started again, keeps its trust.
  const back = await startWorker(running.worker, 'ai:2');
  assert.doesNotMatch(back.output(), /not trusted/);
});

test(
  'kill -9 of the gateway mid-run: a new gateway takes the run over; SSE resumes from Last-Event-ID',
  { skip },
  async () => {
    const id = await submit(SLOW(1500));
    await until('the slow block to start', async () => {
      const row = (
        await sql.query(
          `SELECT 1 FROM maml.block_attempts WHERE run_id = $1 AND block_id = 'slow' AND state = 'running'`,
          [id],
        )
      ).rows[0] as unknown;
      return row;
    });
    const seen = Number(
      (await sql.query('SELECT max(seq)::int AS n FROM maml.events WHERE run_id = $1', [id])).rows[0]?.n ?? 0,
    );
    assert.ok(seen >= 3, `events before the kill: ${seen}`);
    gateway.child.kill('SIGKILL');
    await exited(gateway.child);
    await startGateway();
    const statuses = await settled([id], 60_000);
    const error = (await sql.query('SELECT error FROM maml.runs WHERE id = $1', [id])).rows[0] as unknown;
    assert.equal(statuses.get(id), 'succeeded', JSON.stringify(error));
    const events = (await sql.query('SELECT seq, type FROM maml.events WHERE run_id = $1 ORDER BY seq', [id])).rows as {
      seq: number;
      type: string;
    }[];
    assert.deepEqual(
      events.map((e) => e.seq),
      events.map((_, i) => i + 1),
      'no gap and no repeat in the sequence numbers',
    );
    assert.ok(events.some((e) => e.type === 'run_resumed'));
    assert.equal(events.at(-1)?.type, 'run_finished');
    assert.equal(events.filter((e) => e.type === 'run_finished').length, 1);
    const { wrong, total } = await ticketProblems([id]);
    assert.deepEqual(wrong, []);
    assert.equal(total, 3);
    // A client that saw `seen` events before the gateway died reconnects to the new one and gets the rest.
    const response = await fetch(`${base}/v1/runs/${id}/events`, { headers: { 'last-event-id': String(seen) } });
    const text = await response.text();
    const ids = [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
    assert.deepEqual(
      ids,
      events.filter((e) => e.seq > seen).map((e) => e.seq),
    );
    const audit = cli(['audit', 'verify']);
    assert.equal(audit.code, 0, audit.stdout + audit.stderr);
  },
);
