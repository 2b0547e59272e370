// Running whole documents: DAG order and data passing, failure policy, schemas, permissions, cache and records.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NEEDS_BWRAP, useRuntimeFixture } from '../helpers/runtime-fixture.js';
import { readFileSync } from 'node:fs';
import { parse } from '../../src/format/index.js';
import { MamlError } from '../../src/shared/index.js';
import { MIGRATIONS, RUN_RECORD_BY_LOG_INDEX, identityMatches, runWorkflow } from '../../src/runtime/index.js';
import type { RunWorkflowOptions } from '../../src/runtime/index.js';

const skip = NEEDS_BWRAP;

const rt = useRuntimeFixture('quantum:1,ai:2');

function doc(body: string, frontMatter = ''): ReturnType<typeof parse> {
  return parse(
    `---\nmaml_version: "1.0"\nid: "urn:uuid:11111111-2222-4333-8444-555555555555"\ntype: workflow\norigin: "agent://test"\n${frontMatter}---\n\n## Intent\n\nTest.\n\n## Code_Blocks\n\n${body}`,
  );
}

const run = (d: ReturnType<typeof parse>, extra: Partial<RunWorkflowOptions> = {}) =>
  runWorkflow({ doc: d, pool: rt.pool, store: rt.store, ...extra });

async function runCount(): Promise<number> {
  return Number((await rt.db.query('SELECT count(*)::int AS n FROM maml.runs', [])).rows[0]?.['n']);
}

test('identities match execute patterns with * wildcards', () => {
  assert.equal(identityMatches('agent://*', 'agent://local'), true);
  assert.equal(identityMatches('agent://lab/*', 'agent://lab/alice'), true);
  assert.equal(identityMatches('agent://lab/*', 'agent://labx'), false);
  assert.equal(identityMatches('agent://local', 'agent://local2'), false);
  assert.equal(identityMatches('gateway://a.b', 'gateway://aXb'), false);
});

test('migrations are recorded and applied once', async () => {
  assert.deepEqual(await rt.store.migrate(), []);
  const rows = (await rt.db.query('SELECT version FROM maml.schema_migrations ORDER BY version', [])).rows;
  assert.deepEqual(
    rows.map((r) => r['version']),
    MIGRATIONS.map((m) => m.version),
  );
});

test('a run record is found by its audit-log index through an index, not by reading every event', async () => {
  const plan = await rt.db.transaction(async (tx) => {
    // On a near-empty table the planner would scan anyway; forbidding scans shows whether the index fits the query.
    await tx.exec('SET LOCAL enable_seqscan = off');
    return (await tx.query(`EXPLAIN ${RUN_RECORD_BY_LOG_INDEX}`, ['7'])).rows.map((r) => Object.values(r).join(' '));
  });
  assert.match(plan.join('\n'), /events_record_log_index/);
});

test('the quick start runs end to end: Bell pair, Python, JavaScript, output schema', { skip }, async () => {
  const text = readFileSync(new URL('../../../examples/quickstart.maml.md', import.meta.url), 'utf8');
  const report = await run(parse(text), { documentPath: 'examples/quickstart.maml.md' });
  assert.equal(report.status, 'succeeded', JSON.stringify(report.error));
  assert.deepEqual(
    report.blocks.map((b) => [b.id, b.status]),
    [
      ['bell', 'succeeded'],
      ['correlation', 'succeeded'],
      ['verdict', 'succeeded'],
    ],
  );
  assert.match(report.blocks[0]?.head ?? '', /^quantum-/);
  assert.match(report.blocks[1]?.head ?? '', /^ai-/);
  // A Bell pair measures only 00 or 11: the correlation is exactly 1 whatever the sampling.
  assert.equal(report.outputs['correlation'], 1);
  assert.equal(report.outputs['entangled'], true);
  assert.equal(report.outputs['shots'], 1024);
  assert.equal(report.history.at(-1)?.action, 'EXECUTE');
  const stored = await rt.store.getRun(report.runId);
  assert.equal(stored?.run.status, 'succeeded');
  assert.equal(stored?.blocks.length, 3);
  assert.deepEqual(
    stored?.events.map((e) => e.type).filter((t) => t.startsWith('run_')),
    ['run_started', 'run_finished'],
  );
});

test('outputs of upstream blocks are merged into the inputs of their dependents', { skip }, async () => {
  const d = doc(
    '```python {#a}\nmaml.output("x", 2)\n```\n\n```bash {#b}\nmaml_output y 40\n```\n\n' +
      '```javascript {#c needs=a,b}\nmaml.output("sum", maml.inputs.x + maml.inputs.y + maml.inputs.base)\n```\n',
  );
  const report = await run(d, { inputs: { base: 100 } });
  assert.equal(report.status, 'succeeded', JSON.stringify(report.error));
  assert.equal(report.outputs['sum'], 142);
});

test('a name produced by two upstream blocks is an error naming both', { skip }, async () => {
  const d = doc(
    '```bash {#left}\nmaml_output value 1\n```\n\n```bash {#right}\nmaml_output value 2\n```\n\n' +
      '```bash {#join needs=left,right}\necho "$MAML_INPUTS"\n```\n',
  );
  const report = await run(d);
  assert.equal(report.status, 'failed');
  const join = report.blocks.find((b) => b.id === 'join');
  assert.equal(join?.status, 'failed');
  assert.match(join?.error?.message ?? '', /`value` is produced by both left and right/);
});

test('the first failure stops the run and the rest are skipped', { skip }, async () => {
  const d = doc(
    '```bash {#first}\necho broken >&2; exit 1\n```\n\n```bash {#second}\nmaml_output ran 1\n```\n\n' +
      '```bash {#third needs=first}\nmaml_output ran 1\n```\n',
  );
  const report = await run(d, { concurrency: 1 });
  assert.equal(report.status, 'failed');
  assert.deepEqual(
    report.blocks.map((b) => b.status),
    ['failed', 'skipped', 'skipped'],
  );
  assert.match(report.error?.message ?? '', /broken/);
  const stored = await rt.store.getRun(report.runId);
  assert.deepEqual(stored?.blocks.map((b) => b.status).sort(), ['failed', 'skipped', 'skipped']);
});

test('continue_on_error=true lets independent blocks run; dependents are still skipped', { skip }, async () => {
  const d = doc(
    '```bash {#flaky continue_on_error=true}\nexit 2\n```\n\n```bash {#after}\nmaml_output ok true\n```\n\n' +
      '```bash {#child needs=flaky}\nmaml_output x 1\n```\n',
  );
  const report = await run(d, { concurrency: 1 });
  assert.equal(report.status, 'succeeded');
  assert.deepEqual(
    report.blocks.map((b) => b.status),
    ['failed', 'succeeded', 'skipped'],
  );
  assert.equal(report.outputs['ok'], true);
});

const SCHEMAS =
  '## Input_Schema\n\n```json\n{"type":"object","properties":{"n":{"type":"integer","minimum":1,"default":3}},"additionalProperties":false}\n```\n\n' +
  '## Output_Schema\n\n```json\n{"type":"object","required":["square"],"properties":{"square":{"type":"integer","maximum":100}}}\n```\n';

test(
  'input defaults come from the Input_Schema and outputs are checked against the Output_Schema',
  { skip },
  async () => {
    const d = doc('```python {#sq}\nmaml.output("square", maml.inputs["n"] ** 2)\n```\n\n' + SCHEMAS);
    const ok = await run(d);
    assert.equal(ok.status, 'succeeded', JSON.stringify(ok.error));
    assert.equal(ok.outputs['square'], 9);
    const bad = await run(d, { inputs: { n: 11 } });
    assert.equal(bad.status, 'failed');
    assert.match(bad.error?.message ?? '', /Output_Schema: at \/square: must be <= 100/);
  },
);

test('invalid inputs are refused before anything runs', async () => {
  const d = doc('```python {#sq}\nmaml.output("square", 1)\n```\n\n' + SCHEMAS);
  const before = await runCount();
  await assert.rejects(run(d, { inputs: { n: 'three', extra: 1 } }), (error: unknown) => {
    assert.ok(error instanceof MamlError);
    assert.equal(error.code, 'usage');
    assert.match(error.message, /\/n must be integer/);
    assert.match(error.message, /additional properties/);
    return true;
  });
  assert.equal(await runCount(), before);
});

test('permissions.execute refuses an identity it does not list, before anything runs', async () => {
  const d = doc('```bash {#x}\nmaml_output a 1\n```\n', 'permissions:\n  execute: ["agent://lab/*"]\n');
  const before = await runCount();
  await assert.rejects(run(d, { identity: 'agent://local' }), (error: unknown) => {
    assert.ok(error instanceof MamlError);
    assert.equal(error.code, 'permission_denied');
    assert.match(error.message, /agent:\/\/local may not execute this document/);
    return true;
  });
  assert.equal(await runCount(), before);
});

test('with the cache on, an unchanged block is not run again; a changed input runs it', { skip }, async () => {
  const d = doc('```python {#rand}\nimport random\nmaml.output("r", random.random() + maml.inputs["k"])\n```\n');
  const first = await run(d, { cache: true, inputs: { k: 1 } });
  const second = await run(d, { cache: true, inputs: { k: 1 } });
  assert.equal(second.blocks[0]?.cached, true);
  assert.equal(second.outputs['r'], first.outputs['r']);
  const third = await run(d, { cache: true, inputs: { k: 2 } });
  assert.equal(third.blocks[0]?.cached, false);
  assert.notEqual(third.outputs['r'], first.outputs['r']);
});

test('SQL blocks feed their rows downstream', { skip }, async () => {
  const d = doc(
    '```sql {#q}\nSELECT n, n * n AS sq FROM generate_series(1, :top) AS n ORDER BY n\n```\n\n' +
      '```python {#total needs=q}\nmaml.output("total", sum(r["sq"] for r in maml.inputs["rows"]))\n```\n',
  );
  const report = await run(d, { inputs: { top: 4 } });
  assert.equal(report.status, 'succeeded', JSON.stringify(report.error));
  assert.equal(report.outputs['total'], 30);
  assert.equal(report.blocks[0]?.head, 'scheduler');
});

test('a block is recorded once per run even if recorded again', async () => {
  const d = doc('```qasm {#q}\nOPENQASM 3.0;\nqubit q;\nbit c;\nc = measure q;\n```\n');
  const report = await run(d);
  const again = await rt.store.recordBlock({
    runId: report.runId,
    blockId: 'q',
    attemptId: 'other',
    lang: 'qasm',
    head: 'x',
    attempts: 2,
    status: 'failed',
    cached: false,
    durationMs: 1,
    outputs: {},
    error: null,
  });
  assert.equal(again, false);
  assert.equal((await rt.store.getRun(report.runId))?.blocks[0]?.status, 'succeeded');
});

test(
  'a head killed with SIGKILL mid-run: the run completes and History gets a [REGENERATE] line',
  { skip },
  async () => {
    const d = doc(
      '```python {#slow}\nimport time\ntime.sleep(1.2)\nmaml.output("v", 7)\n```\n\n' +
        '```bash {#next needs=slow}\nmaml_output w 8\n```\n',
    );
    let killed = false;
    const report = await run(d, {
      onEvent: (event) => {
        if (event.type !== 'block_started' || event.blockId !== 'slow' || killed) return;
        const pid = rt.pool.info().find((h) => h.name === event.data.head)?.pid;
        assert.ok(pid);
        killed = true;
        // Let the block's sandbox start before the head dies under it.
        setTimeout(() => process.kill(pid, 'SIGKILL'), 300);
      },
    });
    assert.equal(killed, true);
    assert.equal(report.status, 'succeeded', JSON.stringify(report.error));
    assert.deepEqual(report.outputs, { v: 7, w: 8 });
    assert.equal(report.blocks[0]?.attempts, 2);
    const regenerate = report.history.filter((h) => h.action === 'REGENERATE');
    assert.equal(regenerate.length, 1);
    assert.match(regenerate[0]?.text ?? '', /block slow lost head ai-\d exited \(SIGKILL\); retried as attempt 2/);
    const stored = await rt.store.getRun(report.runId);
    assert.equal(stored?.blocks.filter((b) => b.blockId === 'slow').length, 1);
    assert.equal(stored?.events.filter((e) => e.type === 'regenerate').length, 1);
  },
);
