// End to end: `maml run` signs a ticket per executed block and a record of the run into History (compact by
// default, full on request) and the audit log; `maml verify` accepts them and catches a block or attribute edited
// after it ran, removed, duplicated and edited lines; `maml audit` verifies the log and proves each inclusion.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from '../../src/format/index.js';
import { runCli } from '../helpers/run-cli.js';

const DOC = `---
maml_version: "1.0"
id: "urn:uuid:5b0e2c4d-7a91-4f3e-b6d8-1c2a3e4f5a6b"
type: hybrid_workflow
origin: "agent://tests/provenance"
---

## Intent

A Bell pair and a JavaScript check, signed.

## Code_Blocks

\`\`\`qasm {#bell seed=7}
OPENQASM 3.0;
include "stdgates.inc";
qubit[2] q;
bit[2] c;
h q[0];
cx q[0], q[1];
c = measure q;
\`\`\`

\`\`\`javascript {#check needs=bell}
const c = maml.inputs.counts;
maml.output('correlated', (c['00'] ?? 0) + (c['11'] ?? 0));
\`\`\`
`;

test('tickets are signed per block, verified, logged and provable; an edited block is caught', () => {
  const dir = mkdtempSync(join(tmpdir(), 'maml-prov-'));
  const file = join(dir, 'signed.maml.md');
  writeFileSync(file, DOC);
  const env = { MAML_KEYRING: join(dir, 'keys'), MAML_STATE_DIR: join(dir, 'state'), DATABASE_URL: '' };
  const run = runCli(['run', file], { env });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /generated ticket signing key head-quantum-1/);

  // Compact History (the default): each line names its audit-log entry and leaf hash, and stays small.
  const written = readFileSync(file, 'utf8');
  assert.ok(written.length - DOC.length < 1000, `History grew by ${written.length - DOC.length} bytes`);
  const history = parse(written).history;
  const tickets = history.filter((h) => h.action === 'TICKET');
  assert.equal(tickets.length, 2, 'one ticket per executed block');
  for (const t of tickets) {
    assert.match(t.text, /^log=\d+ leaf=[0-9a-f]{64} run=\S+ block=(bell|check)$/);
    assert.ok(Buffer.byteLength(t.raw) < 200, `${Buffer.byteLength(t.raw)} bytes: ${t.raw}`);
  }
  const execute = history.at(-1);
  assert.equal(execute?.action, 'EXECUTE');
  assert.match(execute?.text ?? '', /^run \S+ succeeded in .* \{record log=\d+ leaf=[0-9a-f]{64}\}$/);
  assert.ok(Buffer.byteLength(execute?.raw ?? '') < 300);

  // Without any log a compact line cannot be checked, and verify says so and what it binds.
  const offline = runCli(['verify', file], { env: { ...env, MAML_STATE_DIR: join(dir, 'no-state') } });
  assert.equal(offline.code, 1);
  assert.match(offline.stdout, /ticket_needs_log .*audit-log entry \d+ with leaf hash [0-9a-f]{64}.*--run-log/);
  assert.match(offline.stdout, /execute_needs_log/);
  assert.match(offline.stderr, /no run database at .*no-state/);
  assert.equal(existsSync(join(dir, 'no-state')), false, 'verify does not create a run database');
  // With no log named, the run database that `maml run` wrote to is used by itself.
  const local = runCli(['verify', file], { env });
  assert.equal(local.code, 0, local.stdout + local.stderr);
  assert.match(local.stderr, /checked against the run database/);

  assert.equal(runCli(['audit', 'verify'], { env }).code, 0);
  // Against the run database's audit log: signatures, inclusion, order, completeness and the run record.
  const withLog = runCli(['verify', file, '--run-log', '--json'], { env });
  assert.equal(withLog.code, 0, withLog.stdout + withLog.stderr);
  const result = JSON.parse(withLog.stdout) as { verified: number; runsVerified: number };
  assert.deepEqual([result.verified, result.runsVerified], [2, 1]);
  for (const line of [...tickets, execute]) {
    const proof = runCli(['audit', 'prove', '--json', '--', line?.raw ?? ''], { env });
    assert.equal(proof.code, 0, proof.stderr);
    assert.equal((JSON.parse(proof.stdout) as { verified: boolean }).verified, true);
  }

  // Change an attribute that decided what ran (the seed): the version 2 ticket no longer matches.
  writeFileSync(file, written.replace('{#bell seed=7}', '{#bell seed=8}'));
  const reseeded = runCli(['verify', file, '--run-log'], { env });
  assert.equal(reseeded.code, 1);
  assert.match(reseeded.stdout, /ticket_attributes_changed/);

  // Change the JavaScript block after it ran: its ticket's code hash no longer matches.
  writeFileSync(file, written.replace("maml.output('correlated'", "maml.output('tampered'"));
  const tampered = runCli(['verify', file, '--run-log'], { env });
  assert.equal(tampered.code, 1);
  assert.match(tampered.stdout + tampered.stderr, /ticket_code_changed/);

  // Remove a [TICKET] line: the run database's log still holds it, and the run record counts it.
  const lines = written.split('\n');
  const first = lines.findIndex((l) => l.includes('[TICKET]'));
  writeFileSync(file, [...lines.slice(0, first), ...lines.slice(first + 1)].join('\n'));
  const removed = runCli(['verify', file, '--run-log'], { env });
  assert.equal(removed.code, 1);
  assert.match(removed.stdout + removed.stderr, /ticket_missing_from_history/);
  assert.match(removed.stdout + removed.stderr, /execute_tickets_mismatch/);
});

test('--history full writes the signed tickets and run record into History: verifiable without the log', () => {
  const dir = mkdtempSync(join(tmpdir(), 'maml-prov-'));
  const file = join(dir, 'signed.maml.md');
  writeFileSync(file, DOC);
  const env = { MAML_KEYRING: join(dir, 'keys'), MAML_STATE_DIR: join(dir, 'state'), DATABASE_URL: '' };
  const run = runCli(['run', file, '--history', 'full'], { env });
  assert.equal(run.code, 0, run.stderr);
  const written = readFileSync(file, 'utf8');
  assert.ok(written.length - DOC.length > 10_000, 'three ML-DSA signatures in History');
  const verified = runCli(['verify', file, '--json'], { env });
  assert.equal(verified.code, 0, verified.stdout);
  assert.deepEqual([JSON.parse(verified.stdout).verified, JSON.parse(verified.stdout).runsVerified], [2, 1]);
  assert.equal(runCli(['verify', file, '--run-log'], { env }).code, 0);

  // A [TICKET] line written twice: reported at the second line, with and without the log.
  const lines = written.trimEnd().split('\n');
  const ticket = lines.find((l) => l.includes('[TICKET]')) as string;
  writeFileSync(file, `${written}${ticket}\n`);
  for (const args of [[], ['--run-log']]) {
    const dup = runCli(['verify', file, ...args], { env });
    assert.equal(dup.code, 1);
    assert.ok(dup.stdout.includes(`signed.maml.md:${lines.length + 1}:1 error ticket_duplicate `), dup.stdout);
  }

  // The [EXECUTE] line's text is signed: "succeeded" cannot be turned into anything else.
  writeFileSync(file, written.replace(/(\[EXECUTE\] run \S+) succeeded/, '$1 failed'));
  const edited = runCli(['verify', file], { env });
  assert.equal(edited.code, 1);
  assert.match(edited.stdout, /execute_text_changed/);

  // An [EXECUTE] line added by hand carries no record: a warning, never counted as verified.
  writeFileSync(file, `${written}- 2026-12-01T00:00:00Z: [EXECUTE] run 0000 succeeded in 0.10 s by agent://root\n`);
  const forged = runCli(['verify', file], { env });
  assert.equal(forged.code, 0);
  assert.match(forged.stdout, /warning execute_unsigned/);
  assert.match(forged.stdout, /1 of 2 run records verified \(1 unsigned\)/);
});

test('a checkpoint signed with the keyring verifies, and a forged one does not', () => {
  const dir = mkdtempSync(join(tmpdir(), 'maml-prov-'));
  const file = join(dir, 'signed.maml.md');
  writeFileSync(file, DOC);
  const env = { MAML_KEYRING: join(dir, 'keys'), MAML_STATE_DIR: join(dir, 'state'), DATABASE_URL: '' };
  assert.equal(runCli(['run', file, '--no-write'], { env }).code, 0);
  const cp = runCli(['audit', 'checkpoint', '--json'], { env });
  assert.equal(cp.code, 0, cp.stderr);
  const { checkpoint, verifierKey, ed25519VerifierKey, size } = JSON.parse(cp.stdout) as {
    checkpoint: string;
    verifierKey: string;
    ed25519VerifierKey: string;
    size: number;
  };
  assert.equal(size, 3, 'two tickets and the run record');
  assert.match(checkpoint, /^maml-gateway\/audit-log\n3\n/);
  const cpFile = join(dir, 'checkpoint.txt');
  writeFileSync(cpFile, checkpoint);
  // Signed with ML-DSA and co-signed with Ed25519: either verifier key alone accepts it.
  assert.equal(runCli(['audit', 'verify', '--checkpoint', cpFile, '--log-key', verifierKey], { env }).code, 0);
  assert.equal(runCli(['audit', 'verify', '--checkpoint', cpFile, '--log-key', ed25519VerifierKey], { env }).code, 0);
  assert.equal((checkpoint.match(/^\u2014 /gm) ?? []).length, 2, 'two signature lines');
  writeFileSync(cpFile, checkpoint.replace(/^(maml-gateway\/audit-log\n)3\n/, '$14\n'));
  const forged = runCli(['audit', 'verify', '--checkpoint', cpFile, '--log-key', verifierKey], { env });
  assert.equal(forged.code, 1);
  assert.match(forged.stdout, /checkpoint_signature/);
});
