// `maml serve` refuses unsafe or incomplete configurations before opening anything (usage errors, exit 2).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../helpers/run-cli.js';

test('maml serve --auth none off loopback is a usage error', () => {
  for (const host of ['0.0.0.0', '::', '192.0.2.7']) {
    const r = runCli(['serve', '--auth', 'none', '--host', host]);
    assert.equal(r.code, 2, host);
    assert.match(r.stderr, /loopback/);
  }
});

test('maml serve refuses --allowed-origins entries that are not origins', () => {
  const r = runCli(['serve', '--auth', 'none', '--port', '0', '--allowed-origins', 'https://app.example.com/path']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /not an origin/);
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
  for (const option of [
    '--port',
    '--host',
    '--auth',
    '--jwks',
    '--issuer',
    '--audience',
    '--grace',
    '--rate-limit',
    '--allowed-hosts',
    '--allowed-origins',
    '--max-runs',
    '--max-connections',
  ])
    assert.ok(serve.stdout.includes(option), option);
  const mcp = runCli(['mcp', '--help']);
  assert.equal(mcp.code, 0);
  assert.match(mcp.stdout, /maml_run/);
});
