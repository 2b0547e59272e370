// End to end: `maml run` signs a ticket per executed block into History and the audit log; `maml verify` accepts
// them and catches a block edited after it ran; `maml audit` verifies the log and proves each ticket's inclusion.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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

  const history = parse(readFileSync(file, 'utf8')).history;
  const tickets = history.filter((h) => h.action === 'TICKET');
  assert.equal(tickets.length, 2, 'one ticket per executed block');
  assert.equal(history.at(-1)?.action, 'EXECUTE');

  const verified = runCli(['verify', file, '--json'], { env });
  assert.equal(verified.code, 0, verified.stdout + verified.stderr);
  assert.equal((JSON.parse(verified.stdout) as { verified: number }).verified, 2);

  assert.equal(runCli(['audit', 'verify'], { env }).code, 0);
  // The same check with inclusion, order and completeness against the run database's audit log.
  const withLog = runCli(['verify', file, '--run-log', '--json'], { env });
  assert.equal(withLog.code, 0, withLog.stdout + withLog.stderr);
  for (const t of tickets) {
    const proof = runCli(['audit', 'prove', '--json', '--', t.raw], { env });
    assert.equal(proof.code, 0, proof.stderr);
    assert.equal((JSON.parse(proof.stdout) as { verified: boolean }).verified, true);
  }

  // Change the JavaScript block after it ran: its ticket's code hash no longer matches.
  writeFileSync(file, readFileSync(file, 'utf8').replace("maml.output('correlated'", "maml.output('tampered'"));
  const tampered = runCli(['verify', file], { env });
  assert.equal(tampered.code, 1);
  assert.match(tampered.stdout + tampered.stderr, /ticket_code_changed/);

  // Remove a [TICKET] line: the run database's log still holds it, so History is incomplete.
  const lines = readFileSync(file, 'utf8').split('\n');
  const first = lines.findIndex((l) => l.includes('[TICKET]'));
  writeFileSync(file, [...lines.slice(0, first), ...lines.slice(first + 1)].join('\n'));
  const removed = runCli(['verify', file, '--run-log'], { env });
  assert.equal(removed.code, 1);
  assert.match(removed.stdout + removed.stderr, /ticket_missing_from_history/);
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
  assert.equal(size, 2);
  assert.match(checkpoint, /^maml-gateway\/audit-log\n2\n/);
  const cpFile = join(dir, 'checkpoint.txt');
  writeFileSync(cpFile, checkpoint);
  // Signed with ML-DSA and co-signed with Ed25519: either verifier key alone accepts it.
  assert.equal(runCli(['audit', 'verify', '--checkpoint', cpFile, '--log-key', verifierKey], { env }).code, 0);
  assert.equal(runCli(['audit', 'verify', '--checkpoint', cpFile, '--log-key', ed25519VerifierKey], { env }).code, 0);
  assert.equal((checkpoint.match(/^\u2014 /gm) ?? []).length, 2, 'two signature lines');
  writeFileSync(cpFile, checkpoint.replace(/^(maml-gateway\/audit-log\n)2\n/, '$13\n'));
  const forged = runCli(['audit', 'verify', '--checkpoint', cpFile, '--log-key', verifierKey], { env });
  assert.equal(forged.code, 1);
  assert.match(forged.stdout, /checkpoint_signature/);
});
