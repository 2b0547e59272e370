// The gateway signs tickets with the keyring's per-head keys and checkpoints with the keyring's checkpoint keys, as
// the CLI does: a restart on the same data directory and keyring keeps every key, tickets from both lives verify
// against the keyring, and `maml audit` checks the gateway's checkpoint with the key `maml audit checkpoint` uses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeTicket, openNote, parseVerifierKey, verifyTicket } from '../../src/crypto/index.js';
import { parse } from '../../src/format/index.js';
import { Keyring } from '../../src/keyring/index.js';
import { headKeyName } from '../../src/runtime/index.js';
import { runCli } from '../helpers/run-cli.js';
import { WORKFLOW, markdown, startGateway, waitForRun } from './harness.js';

type Json = Record<string, unknown>;

async function oneLife(stateDir: string, keyringDir: string): Promise<{ compacts: string[]; checkpoint: Json }> {
  const gw = await startGateway({ dataDir: join(stateDir, 'db'), keyringDir });
  try {
    const submitted = await gw.json<Json>('/v1/runs', markdown(WORKFLOW));
    assert.equal(submitted.status, 202);
    const run = await waitForRun(gw, submitted.body['id'] as string);
    assert.equal(run['status'], 'succeeded', JSON.stringify(run['error']));
    const compacts: string[] = [];
    for (const t of run['tickets'] as { id: string }[])
      compacts.push((await gw.json<Json>(`/v1/tickets/${t.id}`)).body['compact'] as string);
    return { compacts, checkpoint: (await gw.json<Json>('/v1/audit/checkpoint')).body };
  } finally {
    await gw.gateway.close();
  }
}

test('tickets and checkpoints use the keyring keys, one per head, and survive a restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'maml-gateway-keys-'));
  try {
    const stateDir = join(dir, 'state');
    const keyringDir = join(dir, 'keys');
    const first = await oneLife(stateDir, keyringDir);
    const second = await oneLife(stateDir, keyringDir);
    assert.equal(second.checkpoint['checkpointKey'], first.checkpoint['checkpointKey']);
    assert.equal(second.checkpoint['ed25519CheckpointKey'], first.checkpoint['ed25519CheckpointKey']);

    const keyring = new Keyring(keyringDir);
    const keys = await keyring.keyLookup();
    const sources = new Map(parse(WORKFLOW).blocks.map((b) => [b.id, b.code]));
    const keyOfHead = new Map<string, string>();
    for (const compact of [...first.compacts, ...second.compacts]) {
      const decoded = decodeTicket(compact);
      assert.ok(decoded.ok);
      const { ticket } = decoded;
      const verdict = verifyTicket(compact, { keys, blockSource: sources.get(ticket.blockId) as string });
      assert.ok(verdict.ok, JSON.stringify(verdict.failures));
      // The signing key is the keyring's key named after the head.
      assert.equal((await keyring.find(headKeyName(ticket.headId)))?.keyId, ticket.keyId);
      const seen = keyOfHead.get(ticket.headId);
      if (seen !== undefined) assert.equal(seen, ticket.keyId);
      keyOfHead.set(ticket.headId, ticket.keyId);
    }
    // The workflow runs on more than one head, and no two heads share a key.
    assert.ok(keyOfHead.size >= 2, `heads: ${[...keyOfHead.keys()].join(', ')}`);
    assert.equal(new Set(keyOfHead.values()).size, keyOfHead.size);

    // The CLI signs checkpoints with the same key and accepts the gateway's checkpoint against the database.
    const env = { MAML_KEYRING: keyringDir, DATABASE_URL: '' };
    const cli = runCli(['audit', 'checkpoint', '--json', '--state-dir', stateDir], { env });
    assert.equal(cli.code, 0, cli.stderr);
    const cliKey = (JSON.parse(cli.stdout) as Json)['verifierKey'];
    assert.equal(cliKey, second.checkpoint['checkpointKey']);
    const verifier = parseVerifierKey(cliKey as string);
    assert.ok(verifier && openNote(second.checkpoint['checkpoint'] as string, [verifier]).ok);
    const file = join(dir, 'checkpoint.txt');
    writeFileSync(file, second.checkpoint['checkpoint'] as string);
    const audit = runCli(
      ['audit', 'verify', '--checkpoint', file, '--log-key', cliKey as string, '--state-dir', stateDir],
      { env },
    );
    assert.equal(audit.code, 0, audit.stdout + audit.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
