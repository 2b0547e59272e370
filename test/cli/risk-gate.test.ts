// `maml run` refuses a document the threat scan flags, before anything runs, unless --allow-risk is given; the
// gateway and MCP refuse the same document the same way (test/server/run-execution.test.ts, mcp.case.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/run-cli.js';
import { RISKY, RISKY_FINDING, RISKY_MESSAGE } from '../helpers/risky-document.js';

test('a flagged document is refused with its findings and nothing runs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'maml-risk-'));
  const file = join(dir, 'risky.maml.md');
  writeFileSync(file, RISKY);
  const r = runCli(['run', file, '--state-dir', join(dir, 'state')], { env: { DATABASE_URL: '' } });
  assert.equal(r.code, 2, 'refused as an invalid document');
  const { code, line, column } = RISKY_FINDING;
  assert.match(r.stderr, new RegExp(`risky\\.maml\\.md:${line}:${column} error ${code} `));
  assert.match(r.stderr, /maml run: invalid_document: threat scan score/);
  assert.match(r.stderr, RISKY_MESSAGE);
  assert.match(r.stderr, /--allow-risk/);
  assert.equal(readFileSync(file, 'utf8'), RISKY, 'nothing ran, nothing was written');
});

test('--allow-risk runs it with a warning', () => {
  const dir = mkdtempSync(join(tmpdir(), 'maml-risk-'));
  const file = join(dir, 'risky.maml.md');
  writeFileSync(file, RISKY);
  const r = runCli(['run', file, '--allow-risk', '--json', '--no-write', '--state-dir', join(dir, 'state')], {
    env: { DATABASE_URL: '' },
  });
  assert.match(r.stderr, /running anyway because of --allow-risk/);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual((JSON.parse(r.stdout) as { outputs: unknown }).outputs, { said: 'ok' });
});
