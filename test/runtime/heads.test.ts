// The supervised head pool: a head killed or hung mid-task is replaced and the task completes exactly once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MamlError } from '../../src/shared/index.js';
import { HeadPool, parseHeads, taskSpec } from '../../src/runtime/index.js';
import type { RegenerateEvent } from '../../src/runtime/index.js';
import { NEEDS_BWRAP } from '../helpers/tools.js';

const skip = NEEDS_BWRAP;

function startedOn(pool: HeadPool, blockId: string): Promise<{ head: string; pid: number }> {
  return new Promise((resolve) => {
    const stop = pool.observe((event) => {
      if (event.type !== 'task_started' || event.blockId !== blockId || event.pid === undefined) return;
      stop();
      resolve({ head: event.head, pid: event.pid });
    });
  });
}

const BELL = 'OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[2] q;\nbit[2] c;\nh q[0];\ncx q[0], q[1];\nc = measure q;';

test('--heads parses class:count lists and rejects bad ones', () => {
  assert.deepEqual(parseHeads('quantum:2,ai:3'), [
    { headClass: 'quantum', count: 2 },
    { headClass: 'ai', count: 3 },
  ]);
  for (const bad of ['ai', 'ai:0', 'ai:2,ai:1', ':2', 'ai:x'])
    assert.throws(
      () => parseHeads(bad),
      (e: unknown) => e instanceof MamlError && e.code === 'usage',
      bad,
    );
});

test('tasks run on heads of their class', async (t) => {
  const pool = new HeadPool({ heads: parseHeads('quantum:1,ai:1') });
  t.after(() => pool.close());
  await pool.start();
  const quantum = await pool.submit(taskSpec({ blockId: 'q', lang: 'qasm', source: BELL, headClass: 'quantum' }));
  assert.equal(quantum.head, 'quantum-1');
  const counts = quantum.result.outputs['counts'] as Record<string, number>;
  assert.equal((counts['00'] ?? 0) + (counts['11'] ?? 0), 1024);
  await assert.rejects(
    pool.submit(taskSpec({ blockId: 'x', lang: 'qasm', source: BELL, headClass: 'gpu' })),
    /needs a head of class gpu/,
  );
});

test("a stall of the pool's own process is not its heads' silence: no head is replaced for it", async (t) => {
  const pool = new HeadPool({ heads: parseHeads('quantum:1'), heartbeatIntervalMs: 50, heartbeatTimeoutMs: 1000 });
  t.after(() => pool.close());
  await pool.start();
  const replaced: string[] = [];
  t.after(pool.observe((event) => void (event.type === 'head_replaced' && replaced.push(event.reason))));
  const pid = pool.info()[0]?.pid;
  // Block this event loop for three hung limits, as a long synchronous job on a busy gateway would.
  const until = Date.now() + 3000;
  while (Date.now() < until);
  // Several heartbeats later (the first one runs before the head's queued answers are read), the head still works.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const done = await pool.submit(taskSpec({ blockId: 'q', lang: 'qasm', source: BELL, headClass: 'quantum' }));
  assert.deepEqual(replaced, []);
  assert.equal(done.attempts, 1);
  assert.equal(pool.info()[0]?.pid, pid);
});

test('a head killed with SIGKILL mid-task is replaced and the task completes once', { skip }, async (t) => {
  const pool = new HeadPool({ heads: parseHeads('ai:2'), retryBaseMs: 50 });
  t.after(() => pool.close());
  await pool.start();
  const regenerated: RegenerateEvent[] = [];
  pool.observe((e) => e.type === 'regenerate' && regenerated.push(e));
  const started = startedOn(pool, 'slow');
  const pending = pool.submit(
    taskSpec({
      blockId: 'slow',
      lang: 'python',
      source: 'import time\ntime.sleep(1.5)\nmaml.output("done", 1)',
    }),
  );
  const first = await started;
  process.kill(first.pid, 'SIGKILL');
  const outcome = await pending;
  assert.deepEqual(outcome.result.outputs, { done: 1 });
  assert.equal(outcome.attempts, 2);
  assert.equal(regenerated.length, 1);
  assert.equal(regenerated[0]?.blockId, 'slow');
  assert.match(regenerated[0]?.reason ?? '', /SIGKILL/);
  assert.equal(pool.stats.accepted, 1);
  assert.equal(pool.info().filter((h) => h.ready).length, 2);
});

test('a head that stops answering heartbeats is replaced and its task retried', { skip }, async (t) => {
  const pool = new HeadPool({
    heads: parseHeads('ai:1'),
    heartbeatIntervalMs: 100,
    heartbeatTimeoutMs: 800,
    retryBaseMs: 10,
  });
  t.after(() => pool.close());
  await pool.start();
  let regenerations = 0;
  pool.observe((e) => e.type === 'regenerate' && regenerations++);
  const started = startedOn(pool, 'hang');
  const pending = pool.submit(taskSpec({ blockId: 'hang', lang: 'bash', source: 'sleep 0.3; maml_output ok true' }));
  const first = await started;
  process.kill(first.pid, 'SIGSTOP');
  const outcome = await pending;
  assert.deepEqual(outcome.result.outputs, { ok: true });
  assert.equal(regenerations, 1);
});

test("a block's own failure is not retried", { skip }, async (t) => {
  const pool = new HeadPool({ heads: parseHeads('ai:1') });
  t.after(() => pool.close());
  await pool.start();
  let regenerations = 0;
  pool.observe((e) => e.type === 'regenerate' && regenerations++);
  await assert.rejects(pool.submit(taskSpec({ blockId: 'bad', lang: 'bash', source: 'exit 4' })), (error: unknown) => {
    assert.ok(error instanceof MamlError);
    assert.equal(error.code, 'block_failed');
    return true;
  });
  assert.equal(regenerations, 0);
  assert.equal(pool.stats.attempts, 1);
});

test('with heads killed under load, every task is answered exactly once', async (t) => {
  const pool = new HeadPool({ heads: parseHeads('quantum:2'), retryBaseMs: 10 });
  t.after(() => pool.close());
  await pool.start();
  const seen = new Map<string, number>();
  let kills = 0;
  pool.observe((e) => {
    if (e.type === 'task_started' && e.pid !== undefined && e.blockId.endsWith('7') && e.attempt === 1) {
      kills++;
      process.kill(e.pid, 'SIGKILL');
    }
  });
  const results = await Promise.all(
    Array.from({ length: 40 }, (_, i) =>
      pool
        .submit(taskSpec({ blockId: `b${i}`, lang: 'qasm', source: BELL, headClass: 'quantum' }))
        .then((r) => seen.set(`b${i}`, (seen.get(`b${i}`) ?? 0) + 1) && r),
    ),
  );
  assert.equal(results.length, 40);
  assert.equal(seen.size, 40);
  assert.ok([...seen.values()].every((n) => n === 1));
  assert.equal(pool.stats.accepted, 40);
  assert.equal(pool.stats.regenerated, kills);
});

test('heads load the OpenQASM engine named by MAML_QASM_ENGINE', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'maml-engine-'));
  const engine = join(dir, 'engine.mjs');
  // A stand-in engine that echoes what it was given, so the test sees the source, inputs and options arrive.
  writeFileSync(
    engine,
    'export const qasmEngine = async (source, inputs, options) => ({ counts: { [String(source.length)]: options.shots }, probabilities: { x: inputs.theta } });\n',
  );
  const pool = new HeadPool({ heads: parseHeads('quantum:1'), env: { MAML_QASM_ENGINE: pathToFileURL(engine).href } });
  t.after(() => pool.close());
  await pool.start();
  const outcome = await pool.submit(
    taskSpec({
      blockId: 'e',
      lang: 'qasm',
      source: BELL,
      headClass: 'quantum',
      inputs: { theta: 0.5 },
      attributes: { shots: '7', probabilities: 'true' },
    }),
  );
  assert.deepEqual(outcome.result.outputs, { counts: { [String(BELL.length)]: 7 }, probabilities: { x: 0.5 } });
});

test('a task cancelled while queued is settled `cancelled` without running; a cancelled head task is not retried', async (t) => {
  const pool = new HeadPool({ heads: parseHeads('quantum:1'), retryBaseMs: 10, cancelGraceMs: 200 });
  t.after(() => pool.close());
  await pool.start();
  // An engine that never answers: the head holds the first task, the second waits in the queue.
  const ENDLESS =
    'OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[22] q;\nfor int i in [0:200000] { h q[0]; cx q[0], q[9]; rx(0.1) q[3]; cx q[3], q[12]; }\n';
  const first = new AbortController();
  const second = new AbortController();
  const started = startedOn(pool, 'first');
  const running = pool.submit(
    taskSpec({
      blockId: 'first',
      lang: 'qasm',
      source: ENDLESS,
      headClass: 'quantum',
      limits: { timeoutMs: 3_600_000 },
    }),
    { signal: first.signal },
  );
  const queued = pool.submit(taskSpec({ blockId: 'second', lang: 'qasm', source: BELL, headClass: 'quantum' }), {
    signal: second.signal,
  });
  await started;
  second.abort();
  await assert.rejects(queued, (e: unknown) => e instanceof MamlError && e.code === 'cancelled');
  first.abort();
  await assert.rejects(
    running,
    (e: unknown) => e instanceof MamlError && e.code === 'cancelled' && /block first was cancelled/.test(e.message),
  );
  assert.equal(pool.stats.attempts, 1, 'the queued task never ran');
  assert.equal(pool.stats.regenerated, 0);
  await assert.rejects(
    pool.submit(taskSpec({ blockId: 'late', lang: 'qasm', source: BELL, headClass: 'quantum' }), {
      signal: first.signal,
    }),
    /block late was cancelled/,
  );
});

test('closing the pool while its heads start does not crash them', () => {
  // In a child process, so that what the heads print (they share its stderr) can be checked.
  const runtime = new URL('../../src/runtime/index.js', import.meta.url).href;
  const script = `
    const rt = await import(${JSON.stringify(runtime)});
    for (let i = 0; i < 3; i++) {
      const pool = new rt.HeadPool({ heads: rt.parseHeads('ai:2'), heartbeatIntervalMs: 1 });
      const started = pool.start().catch(() => undefined);
      await new Promise((r) => setTimeout(r, 100 + 50 * i));
      await pool.close();
      await started;
    }`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /TypeError|kPendingMessages/);
});
