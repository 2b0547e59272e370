// The same migrations and run records on a real PostgreSQL (DATABASE_URL, else 127.0.0.1:5432 with trust auth).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { parse } from '../../src/format/index.js';
import { HeadPool, MIGRATIONS, RunStore, openDatabase, runWorkflow } from '../../src/runtime/index.js';
import { NEEDS_BWRAP } from '../helpers/runtime-fixture.js';

const admin =
  process.env['MAML_TEST_DATABASE_URL'] || process.env['DATABASE_URL'] || 'postgres://postgres@127.0.0.1:5432/postgres';

async function reachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: admin, connectionTimeoutMillis: 1500 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

test('migrations, SQL blocks and run records work on PostgreSQL', { skip: NEEDS_BWRAP }, async (t) => {
  if (!(await reachable())) {
    // CI (.ci/run) starts a server and sets MAML_REQUIRE_POSTGRES: there, an unreachable database is a failure.
    if (process.env['MAML_REQUIRE_POSTGRES']) assert.fail(`no PostgreSQL at ${admin}`);
    return t.skip(`no PostgreSQL at ${admin}`);
  }
  const name = `maml_runtime_test_${process.pid}`;
  const control = new pg.Client({ connectionString: admin });
  await control.connect();
  await control.query(`DROP DATABASE IF EXISTS ${name}`);
  await control.query(`CREATE DATABASE ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const db = await openDatabase({ url: url.toString() });
  t.after(async () => {
    await db.close();
    await control.query(`DROP DATABASE IF EXISTS ${name}`);
    await control.end();
  });
  assert.equal(db.kind, 'postgres');
  const store = new RunStore(db);
  assert.deepEqual(
    await store.migrate(),
    MIGRATIONS.map((m) => m.version),
  );
  assert.deepEqual(await store.migrate(), []);
  const doc = parse(
    '---\nmaml_version: "1.0"\nid: "urn:uuid:11111111-2222-4333-8444-555555555555"\ntype: workflow\norigin: "agent://test"\n---\n\n## Intent\n\nSQL.\n\n## Code_Blocks\n\n```sql {#q}\nCREATE TEMP TABLE t (v int); INSERT INTO t VALUES (20), (22); SELECT sum(v)::int AS total FROM t;\n```\n',
  );
  // The SQL block runs in its run's own sandboxed database, not on this server; the run is recorded here.
  const report = await runWorkflow({ doc, pool: new HeadPool({ heads: [] }), store });
  assert.equal(report.status, 'succeeded', JSON.stringify(report.error));
  assert.deepEqual(report.outputs['rows'], [{ total: 42 }]);
  const stored = await store.getRun(report.runId.slice(0, 8));
  assert.equal(stored?.run.id, report.runId);
  assert.equal(stored?.blocks[0]?.status, 'succeeded');
});
