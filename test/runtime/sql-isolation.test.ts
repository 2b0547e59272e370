// SQL blocks own their database: nothing of the run database is reachable from a block, on PGlite (in a state
// directory, as `maml run` uses it) and on PostgreSQL; nothing runs on the host; runaway statements are stopped by
// the block's timeout and the memory limit without stalling the gateway; tables are shared within a run, never
// across runs. Under the old design (blocks ran in the gateway process against the run database) each case
// fails, or hangs until the test's own timeout.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from '../../src/format/index.js';
import { HeadPool, RunStore, cgroupSupport, openDatabase, runWorkflow } from '../../src/runtime/index.js';
import type { BlockReport, Database, RunReport } from '../../src/runtime/index.js';
import { NEEDS_BWRAP } from '../helpers/runtime-fixture.js';
import { freshPostgres } from '../server/databases.js';

const SLOW = { timeout: 180_000, skip: NEEDS_BWRAP };

function doc(blocks: string): ReturnType<typeof parse> {
  return parse(
    `---\nmaml_version: "1.0"\nid: "urn:uuid:11111111-2222-4333-8444-555555555555"\ntype: workflow\norigin: "agent://test"\n---\n\n## Intent\n\nSQL isolation.\n\n## Code_Blocks\n\n${blocks}`,
  );
}

function sql(id: string, text: string, attributes = 'continue_on_error=true'): string {
  return `\`\`\`sql {#${id} ${attributes}}\n${text}\n\`\`\`\n\n`;
}

function block(report: RunReport, id: string): BlockReport {
  const found = report.blocks.find((b) => b.id === id);
  assert.ok(found, id);
  return found;
}

function failedWith(report: RunReport, id: string, pattern: RegExp): void {
  const b = block(report, id);
  assert.equal(b.status, 'failed', `${id}: ${JSON.stringify(b.outputs)}`);
  assert.match(b.error?.message ?? '', pattern);
}

interface Fixture {
  db: Database;
  store: RunStore;
  pool: HeadPool;
  drop: () => Promise<void>;
}

function isolationSuite(name: string, open: () => Promise<{ db: Database; drop: () => Promise<void> } | string>): void {
  describe(`SQL isolation with a ${name} run database`, () => {
    let fixture: Fixture | undefined;
    let why = '';
    before(async () => {
      if (NEEDS_BWRAP) return;
      const opened = await open();
      if (typeof opened === 'string') {
        why = opened;
        return;
      }
      const store = new RunStore(opened.db);
      await store.migrate();
      const pool = new HeadPool({ heads: [] });
      await pool.start();
      fixture = { ...opened, store, pool };
    });
    after(async () => {
      await fixture?.pool.close();
      await fixture?.db.close();
      await fixture?.drop();
    });
    // The threat scan flags these documents; the gate is waved through so the sandbox itself is what is tested.
    const run = (f: Fixture, d: ReturnType<typeof parse>, inputs: Record<string, unknown> = {}) =>
      runWorkflow({ doc: d, pool: f.pool, store: f.store, inputs, allowRisk: true });
    const ready = (t: { skip(message: string): void }): Fixture | undefined => {
      if (!fixture) t.skip(why);
      return fixture;
    };

    test(
      'a block sees none of the run database, rewrites nothing in it, and runs nothing on the host',
      SLOW,
      async (t) => {
        const f = ready(t);
        if (!f) return;
        const secret = `secret-${randomBytes(8).toString('hex')}`;
        const earlier = await run(f, doc(sql('seed', 'SELECT 1 AS one', '')), { secret });
        assert.equal(earlier.status, 'succeeded', JSON.stringify(earlier.error));
        const marker = join(tmpdir(), `maml-sql-program-${randomBytes(6).toString('hex')}`);
        const report = await run(
          f,
          doc(
            sql('tables', "SELECT table_name FROM information_schema.tables WHERE table_schema = 'maml'") +
              sql('runs', 'SELECT * FROM maml.runs') +
              sql('tickets', 'SELECT * FROM maml.tickets') +
              sql('audit', 'SELECT * FROM maml.audit_log') +
              sql('rewrite', "UPDATE maml.runs SET identity = 'agent://forged'") +
              sql('passwd', "SELECT pg_read_file('/etc/passwd') AS text") +
              sql('program', `COPY (SELECT 1) TO PROGRAM 'touch ${marker}'`),
          ),
        );
        assert.deepEqual(block(report, 'tables').outputs, { rows: [] });
        failedWith(report, 'runs', /relation "maml\.runs" does not exist/);
        failedWith(report, 'tickets', /relation "maml\.tickets" does not exist/);
        failedWith(report, 'audit', /relation "maml\.audit_log" does not exist/);
        failedWith(report, 'rewrite', /relation "maml\.runs" does not exist/);
        const passwd = block(report, 'passwd');
        assert.ok(passwd.status === 'failed' || !JSON.stringify(passwd.outputs).includes('root:'), 'no host file read');
        assert.notEqual(block(report, 'program').status, 'running');
        assert.equal(existsSync(marker), false, 'COPY … TO PROGRAM ran a program on the host');
        assert.ok(!JSON.stringify(report).includes(secret), "another run's inputs leaked into a block");
        // The run database is untouched and still answers.
        const stored = await f.store.getRun(earlier.runId);
        assert.equal(stored?.run.identity, 'agent://local');
        assert.equal((await f.store.getRun(report.runId))?.run.status, report.status);
      },
    );

    test("the blocks of a run share tables; another run's tables are not there", SLOW, async (t) => {
      const f = ready(t);
      if (!f) return;
      const first = await run(
        f,
        doc(
          sql(
            'make',
            "CREATE TABLE kept (v int); INSERT INTO kept VALUES (41); CREATE TABLE leak (s text); INSERT INTO leak VALUES ('first run')",
            '',
          ) + sql('use', 'SELECT v + 1 AS v FROM kept', 'needs=make'),
        ),
      );
      assert.equal(first.status, 'succeeded', JSON.stringify(first.error));
      assert.deepEqual(first.outputs['rows'], [{ v: 42 }]);
      const second = await run(f, doc(sql('peek', 'SELECT s FROM leak', '')));
      assert.equal(second.status, 'failed');
      failedWith(second, 'peek', /relation "leak" does not exist/);
    });

    test('a runaway statement is killed at its timeout without stalling the gateway', SLOW, async (t) => {
      const f = ready(t);
      if (!f) return;
      let worst = 0;
      let last = performance.now();
      const ticker = setInterval(() => {
        const now = performance.now();
        worst = Math.max(worst, now - last);
        last = now;
      }, 10);
      try {
        const started = performance.now();
        const report = await run(
          f,
          doc(
            sql(
              'spin',
              'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r',
              'timeout=2s',
            ),
          ),
        );
        assert.equal(report.status, 'failed');
        assert.equal(report.error?.code, 'timeout');
        assert.match(report.error?.message ?? '', /spin ran longer than its 2000 ms timeout/);
        assert.ok(performance.now() - started < 60_000);
        // pg_sleep holds a PostgreSQL backend for as long as it is told; here the run ends by the timeout at most.
        const sleeper = performance.now();
        const slept = await run(f, doc(sql('nap', 'SELECT pg_sleep(1000)', 'timeout=2s')));
        assert.notEqual(slept.blocks[0]?.status, 'running');
        assert.ok(performance.now() - sleeper < 60_000);
      } finally {
        clearInterval(ticker);
      }
      assert.ok(worst < 1500, `the event loop stalled for ${Math.round(worst)} ms`);
    });

    test('a memory bomb is stopped by the memory limit', SLOW, async (t) => {
      const f = ready(t);
      if (!f) return;
      const report = await run(
        f,
        doc(
          sql(
            'bomb',
            "SELECT length(string_agg(repeat('x', 1000000), '')) FROM generate_series(1, 3000)",
            'timeout=2m',
          ),
        ),
      );
      assert.equal(report.status, 'failed');
      // Without a cgroup PostgreSQL's own allocation limit fails the block instead.
      if (cgroupSupport().mode !== 'none') {
        assert.equal(report.error?.code, 'resource_limit', report.error?.message);
        assert.match(report.error?.message ?? '', /exceeded the SQL memory limit of 512 MiB/);
      }
      assert.equal((await f.store.getRun(report.runId))?.run.status, 'failed');
    });
  });
}

isolationSuite('PGlite', async () => {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'maml-sql-iso-')), 'state', 'db');
  return { db: await openDatabase({ url: '', dataDir }), drop: () => Promise.resolve() };
});

isolationSuite('PostgreSQL', async () => {
  const fresh = await freshPostgres();
  if (typeof fresh === 'string') return fresh;
  return { db: await openDatabase({ url: fresh.url ?? '' }), drop: () => fresh.drop() };
});
