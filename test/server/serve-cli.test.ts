// `maml serve` refuses unsafe or incomplete configurations before opening anything (usage errors, exit 2).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../helpers/run-cli.js';

test('maml serve --auth none off loopback is a usage error', () => {
  const r = runCli(['serve', '--auth', 'none', '--host', '0.0.0.0']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /loopback/);
});

test('maml serve --auth jwt without --jwks/--issuer/--audience says what is missing', () => {
  const r = runCli(['serve'], { env: { MAML_JWKS: '', MAML_JWT_ISSUER: '', MAML_JWT_AUDIENCE: '' } });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--jwks/);
  assert.match(r.stderr, /--issuer/);
});

test('maml serve and maml mcp document every option in --help', () => {
  const serve = runCli(['serve', '--help']);
  assert.equal(serve.code, 0);
  for (const option of ['--port', '--host', '--auth', '--jwks', '--issuer', '--audience', '--grace', '--rate-limit'])
    assert.ok(serve.stdout.includes(option), option);
  const mcp = runCli(['mcp', '--help']);
  assert.equal(mcp.code, 0);
  assert.match(mcp.stdout, /maml_run/);
});
