// Running a document when things go wrong: outputs the database cannot store, errors quoting odd output, a
// listener that throws, a write that fails mid-run, and a cancel that must kill what runs. Each run must end
// recorded once, never left `running`, with no ticket for a block that did not succeed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NEEDS_BWRAP, useRuntimeFixture } from '../helpers/runtime-fixture.js';
import { processesWith, sleepMarker, untilProcessWith } from '../helpers/processes.js';
import { TransparencyLog } from '../../src/crypto/index.js';
import { parse } from '../../src/format/index.js';
import {
  AUDIT_LOG_ORIGIN,
  DatabaseLogStore,
  RunStore,
  ephemeralHeadSigners,
  runWorkflow,
  ticketIssuer,
} from '../../src/runtime/index.js';
import type { RunWorkflowOptions, TicketIssuer } from '../../src/runtime/index.js';
import { withHostTools } from '../helpers/tools.js';

const skip = NEEDS_BWRAP;
const rt = useRuntimeFixture('ai:2');
let tickets: Promise<TicketIssuer> | undefined;

/** The issuer over the fixture's database (made on first use: the fixture opens the database in a hook). */
function issuer(): Promise<TicketIssuer> {
  tickets ??= TransparencyLog.open(new DatabaseLogStore(rt.db), AUDIT_LOG_ORIGIN).then((log) =>
    ticketIssuer(rt.db, ephemeralHeadSigners(), log),
  );
  return tickets;
}

function doc(body: string): ReturnType<typeof parse> {
  return parse(
    `---\nmaml_version: "1.0"\nid: "urn:uuid:11111111-2222-4333-8444-555555555555"\ntype: workflow\norigin: "agent://test"\n---\n\n## Intent\n\nTest.\n\n## Code_Blocks\n\n${body}`,
  );
}

const run = async (body: string, extra: Partial<RunWorkflowOptions> = {}) =>
  runWorkflow({ doc: doc(body), pool: rt.pool, store: rt.store, tickets: await issuer(), ...extra });

async function ticketsOf(runId: string): Promise<string[]> {
  const rows = await rt.db.query('SELECT block_id FROM maml.tickets WHERE run_id = $1 ORDER BY block_id', [runId]);
  return rows.rows.map((r) => String(r['block_id']));
}

test('outputs the database cannot store fail their block before its ticket, naming the output', { skip }, async () => {
  const cases: [string, RegExp][] = [
    [
      '```javascript {#nul}\nmaml.output("s", "a\\u0000b");\n```\n',
      /^block nul: output `s`: a string contains the character U\+0000/,
    ],
    [
      '```javascript {#surrogate}\nmaml.output("s", ["ok", "\\ud800"]);\n```\n',
      /^block surrogate: output `s` at \/1: a string contains an unpaired UTF-16 surrogate/,
    ],
    ['```bash {#huge}\nmaml_output n 1e400\n```\n', /^block huge: output `n`: the number Infinity is not JSON/],
    [
      '```bash {#proto}\nmaml_output __proto__ \'{"x":1}\'\nmaml_output ok 1\n```\n',
      /^block proto: the output name "__proto__" is reserved/,
    ],
  ];
  for (const [body, message] of cases) {
    const report = await run(body);
    const block = report.blocks[0];
    assert.equal(report.status, 'failed');
    assert.equal(block?.status, 'failed');
    assert.equal(block?.error?.code, 'block_failed', JSON.stringify(block?.error));
    assert.match(block?.error?.message ?? '', message);
    assert.deepEqual(await ticketsOf(report.runId), [], 'no ticket for a failed block');
    const stored = await rt.store.getRun(report.runId);
    assert.equal(stored?.run.status, 'failed');
    assert.equal((stored?.blocks[0]?.error as { code?: string }).code, 'block_failed');
  }
});

test('a failed block whose error quotes a NUL byte is still recorded, and so is its run', { skip }, async () => {
  const report = await run('```bash {#x}\nprintf "a\\0b" >&2; exit 3\n```\n');
  assert.equal(report.status, 'failed');
  assert.match(report.blocks[0]?.error?.message ?? '', /exited with status 3:\na\ufffdb/);
  const stored = await rt.store.getRun(report.runId);
  assert.equal(stored?.run.status, 'failed');
  assert.equal(stored?.blocks[0]?.status, 'failed');
});

test('a listener that throws does not stop the run or lose it', { skip }, async () => {
  const report = await run('```bash {#x}\nmaml_output a 1\n```\n', {
    onEvent: (event) => {
      if (event.type === 'block_succeeded' || event.type === 'run_started') throw new Error('listener broke');
    },
  });
  assert.equal(report.status, 'succeeded', JSON.stringify(report.error));
  assert.equal((await rt.store.getRun(report.runId))?.run.status, 'succeeded');
  assert.deepEqual(await ticketsOf(report.runId), ['x']);
});

test('a write that fails mid-run stops the run, which ends failed in the database, never `running`', async () => {
  class FailingStore extends RunStore {
    override async recordBlock(row: Parameters<RunStore['recordBlock']>[0]): Promise<boolean> {
      if (row.blockId === 'first') throw new Error('disk full');
      return super.recordBlock(row);
    }
  }
  const store = new FailingStore(rt.db);
  const qasm = 'OPENQASM 3.0;\nqubit q;\nbit c;\nc = measure q;\n';
  const report = await runWorkflow({
    doc: doc(`\`\`\`qasm {#first head=ai}\n${qasm}\`\`\`\n\n\`\`\`qasm {#second head=ai needs=first}\n${qasm}\`\`\`\n`),
    pool: rt.pool,
    store,
  });
  assert.equal(report.status, 'failed');
  assert.equal(report.error?.code, 'internal');
  assert.match(report.error?.message ?? '', /could not record block first in the run database: disk full/);
  assert.equal(report.blocks[1]?.status, 'skipped');
  const stored = await rt.store.getRun(report.runId);
  assert.equal(stored?.run.status, 'failed');
  assert.equal((stored?.run.error as { code?: string }).code, 'internal');
});

test(
  'cancelling a run kills its running block and skips the rest; recorded `cancelled` once, no ticket',
  { skip },
  async () => {
    const marker = sleepMarker();
    const controller = new AbortController();
    const events: string[] = [];
    const pending = run(
      `\`\`\`bash {#wait}\nsleep ${marker}\nmaml_output waited true\n\`\`\`\n\n` +
        '```bash {#after needs=wait}\nmaml_output done true\n```\n\n' +
        '```bash {#queued needs=after}\nmaml_output also true\n```\n',
      { signal: controller.signal, onEvent: (e) => events.push(e.type) },
    );
    const pids = await untilProcessWith(marker);
    assert.ok(pids.length > 0);
    controller.abort();
    const report = await pending;
    assert.deepEqual(processesWith(marker), [], "the block's processes are gone");
    assert.equal(report.status, 'cancelled');
    assert.equal(report.error?.code, 'cancelled');
    assert.deepEqual(
      report.blocks.map((b) => [b.id, b.status, b.reason ?? b.error?.code]),
      [
        ['wait', 'cancelled', 'cancelled'],
        ['after', 'skipped', 'the run was cancelled'],
        ['queued', 'skipped', 'the run was cancelled'],
      ],
    );
    assert.equal(events.filter((e) => e === 'run_finished').length, 1);
    assert.deepEqual(await ticketsOf(report.runId), []);
    const stored = await rt.store.getRun(report.runId);
    assert.equal(stored?.run.status, 'cancelled');
    assert.deepEqual(stored?.blocks.map((b) => [b.blockId, b.status]).sort(), [
      ['after', 'skipped'],
      ['queued', 'skipped'],
      ['wait', 'cancelled'],
    ]);
    const types = stored?.events.map((e) => e.type) ?? [];
    assert.equal(types.filter((t) => t === 'block_cancelled').length, 1);
    assert.deepEqual(stored?.events.at(-1)?.data, { status: 'cancelled', error: report.error });
    assert.equal(report.history.at(-1)?.text.includes(`run ${report.runId} cancelled`), true);
  },
);

test('a cancel before the run starts anything skips every block', { skip }, async () => {
  const controller = new AbortController();
  controller.abort('changed my mind');
  const report = await run('```bash {#a}\nmaml_output a 1\n```\n', { signal: controller.signal });
  assert.equal(report.status, 'cancelled');
  assert.equal(report.error?.message, 'changed my mind');
  assert.deepEqual(
    report.blocks.map((b) => [b.status, b.reason]),
    [['skipped', 'the run was cancelled']],
  );
});

test(
  'a document granting the network is refused before anything runs when slirp4netns is missing',
  { skip },
  async (t) => {
    withHostTools(t, { slirp4netns: '/nonexistent/slirp4netns' });
    {
      const granted = parse(
        `---\nmaml_version: "1.0"\nid: "urn:uuid:11111111-2222-4333-8444-555555555556"\ntype: workflow\norigin: "agent://test"\npermissions:\n  network: true\n---\n\n## Intent\n\nTest.\n\n## Code_Blocks\n\n\`\`\`bash {#net}\necho hi\n\`\`\`\n`,
      );
      const before = (await rt.db.query('SELECT count(*)::int AS n FROM maml.runs', [])).rows[0]?.['n'];
      await assert.rejects(
        runWorkflow({ doc: granted, pool: rt.pool, store: rt.store, tickets: await issuer() }),
        (error: Error & { code?: string }) =>
          error.code === 'missing_tool' && /apt-get install slirp4netns/.test(error.message),
      );
      const after = (await rt.db.query('SELECT count(*)::int AS n FROM maml.runs', [])).rows[0]?.['n'];
      assert.equal(after, before, 'no run was recorded');
    }
  },
);

test('an OpenQASM block with an undefined gate is refused by the planner at its document line', async () => {
  const before = (await rt.db.query('SELECT count(*)::int AS n FROM maml.runs', [])).rows[0]?.['n'];
  await assert.rejects(
    run('```qasm {#circuit}\nOPENQASM 3.0;\nqubit[1] q;\nfrobnicate q[0];\n```\n'),
    (error: Error & { code?: string; details?: { diagnostics?: { line: number; message: string }[] } }) => {
      const found = error.details?.diagnostics?.find((d) => /frobnicate/.test(d.message));
      return error.code === 'invalid_document' && found?.line === 17;
    },
  );
  const after = (await rt.db.query('SELECT count(*)::int AS n FROM maml.runs', [])).rows[0]?.['n'];
  assert.equal(after, before, 'no run was recorded');
});
