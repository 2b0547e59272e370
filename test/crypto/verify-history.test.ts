// History verification: every way a document's provenance can be broken must surface as a diagnostic on the
// History line concerned — untrusted or unknown signer, edited ticket, changed code, lines reordered, removed,
// or never logged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MemoryLogStore,
  TransparencyLog,
  hashCanonical,
  hashCode,
  logEvidence,
  mlDsaKeygen,
  publicKeyId,
  signAndLogTicket,
  signTicket,
  toBase64Url,
  canonicalize,
  verifyHistory,
  type HistoryTicketLine,
  type KeyLookup,
  type MlDsaKeyPair,
  type VerifyHistoryInput,
} from '../../src/crypto/index.js';

const DOC = 'urn:uuid:6f1c2a9e-3b7d-4c8e-9a21-5d4e8f0b7c13';
const BLOCKS = new Map([
  ['bell', 'OPENQASM 3.0;\nqubit[2] q;\nh q[0];\ncx q[0], q[1];\n'],
  ['correlation', 'counts = maml.inputs["counts"]\nmaml.output("n", len(counts))\n'],
  ['verdict', 'maml.output("ok", true);\n'],
]);

const signer = mlDsaKeygen('ml-dsa-65');
const stranger = mlDsaKeygen('ml-dsa-65');

function lookup(trusted: readonly MlDsaKeyPair[], known: readonly MlDsaKeyPair[] = []): KeyLookup {
  return (id) => {
    const t = trusted.find((k) => publicKeyId(k.publicKey) === id);
    if (t) return { alg: t.alg, publicKey: t.publicKey, trusted: true };
    const k = known.find((x) => publicKeyId(x.publicKey) === id);
    return k ? { alg: k.alg, publicKey: k.publicKey, trusted: false } : undefined;
  };
}

function fields(blockId: string, i: number): Parameters<typeof signTicket>[0] {
  return {
    docId: DOC,
    runId: 'run-1',
    blockId,
    headId: 'head-0',
    inputHash: hashCanonical({ i }),
    outputHash: hashCanonical({ out: i }),
    codeHash: hashCode(BLOCKS.get(blockId) ?? ''),
    startedAt: `2026-11-21T12:00:0${i}Z`,
    durationMs: 10 + i,
    executor: 'test@1',
  };
}

const lineAt = (compact: string, i: number): HistoryTicketLine => ({
  compact,
  parsed: true,
  place: { line: 40 + i, column: 1, offset: 1000 + 100 * i },
});

async function scenario(): Promise<{ compacts: string[]; base: VerifyHistoryInput }> {
  const log = await TransparencyLog.open(new MemoryLogStore(), 'maml.dev/log/test');
  await log.append(new TextEncoder().encode('an unrelated entry'));
  const compacts: string[] = [];
  for (const [i, id] of ['bell', 'correlation', 'verdict'].entries())
    compacts.push((await signAndLogTicket(fields(id, i), signer, log)).compact);
  const base: VerifyHistoryInput = {
    tickets: compacts.map(lineAt),
    blocks: BLOCKS,
    keys: lookup([signer]),
    docId: DOC,
    log: await logEvidence(log),
    historyPlace: { line: 39, column: 1, offset: 900 },
  };
  return { compacts, base };
}

function withoutLog(input: VerifyHistoryInput): VerifyHistoryInput {
  const { log: _log, ...rest } = input;
  return rest;
}

const codes = (input: VerifyHistoryInput): string[] => verifyHistory(input).diagnostics.map((d) => d.code);

test('an intact History verifies: signatures, trust, code hashes, log inclusion and order', async () => {
  const { base } = await scenario();
  const result = verifyHistory(base);
  assert.deepEqual(result.diagnostics, []);
  assert.equal(result.verified, 3);
});

test('a ticket signed by a key outside the trusted set is reported on its line', async () => {
  const { base } = await scenario();
  const foreign = signTicket(fields('bell', 0), stranger).compact;
  const tickets = [...base.tickets, lineAt(foreign, 9)];
  const input = { ...withoutLog(base), tickets };
  const unknown = verifyHistory({ ...input, keys: lookup([signer]) }).diagnostics;
  assert.deepEqual(
    unknown.map((d) => [d.code, d.line]),
    [['ticket_unknown_key', 49]],
  );
  const untrusted = verifyHistory({ ...input, keys: lookup([signer], [stranger]) }).diagnostics;
  assert.deepEqual(
    untrusted.map((d) => [d.code, d.line]),
    [['ticket_untrusted_key', 49]],
  );
});

test('an edited ticket is reported (bad signature) and is not found in the log', async () => {
  const { compacts, base } = await scenario();
  const [payload, sig] = (compacts[1] as string).split('.') as [string, string];
  const ticket = JSON.parse(new TextDecoder().decode(Buffer.from(payload, 'base64url'))) as Record<string, unknown>;
  const edited = `${toBase64Url(new TextEncoder().encode(canonicalize({ ...ticket, durationMs: 1 })))}.${sig}`;
  const tickets = base.tickets.map((t, i) => (i === 1 ? lineAt(edited, 1) : t));
  const got = codes({ ...base, tickets });
  assert.ok(got.includes('ticket_bad_signature'), got.join());
  assert.ok(got.includes('ticket_not_in_log'), got.join());
  assert.ok(got.includes('ticket_missing_from_history'), 'the original ticket is now missing from History');
});

test('a code block changed after execution is reported', async () => {
  const { base } = await scenario();
  const blocks = new Map(BLOCKS);
  blocks.set('correlation', `${BLOCKS.get('correlation') ?? ''}import os; os.system("curl evil")\n`);
  const diags = verifyHistory({ ...base, blocks }).diagnostics;
  assert.deepEqual(
    diags.map((d) => [d.code, d.line]),
    [['ticket_code_changed', 41]],
  );
  const removed = new Map(BLOCKS);
  removed.delete('verdict');
  assert.deepEqual(codes({ ...base, blocks: removed }), ['ticket_block_missing']);
});

test('History lines reordered against the log are reported', async () => {
  const { base } = await scenario();
  const [a, b, c] = base.tickets as [HistoryTicketLine, HistoryTicketLine, HistoryTicketLine];
  const swapped = [
    { ...a, place: a.place },
    { ...c, place: b.place },
    { ...b, place: c.place },
  ];
  assert.deepEqual(codes({ ...base, tickets: swapped }), ['ticket_out_of_order']);
});

test('a History line removed while the log still holds its ticket is reported', async () => {
  const { base } = await scenario();
  const diags = verifyHistory({
    ...base,
    tickets: [base.tickets[0], base.tickets[2]] as HistoryTicketLine[],
  }).diagnostics;
  assert.deepEqual(
    diags.map((d) => [d.code, d.line]),
    [['ticket_missing_from_history', 39]],
  );
});

test('a valid ticket that never reached the log is reported', async () => {
  const { base } = await scenario();
  const unlogged = signTicket(fields('verdict', 7), signer).compact;
  assert.deepEqual(codes({ ...base, tickets: [...base.tickets, lineAt(unlogged, 3)] }), ['ticket_not_in_log']);
});

test('a [TICKET] line that does not parse, and a ticket for another document, are reported', async () => {
  const { base } = await scenario();
  const broken = { compact: '- 2026: [TICKET] ???', parsed: false, place: { line: 60, column: 1, offset: 5000 } };
  assert.deepEqual(codes({ ...withoutLog(base), tickets: [broken] }), ['ticket_malformed']);
  const other = signTicket({ ...fields('bell', 0), docId: 'urn:other' }, signer).compact;
  assert.deepEqual(codes({ ...withoutLog(base), tickets: [lineAt(other, 0)] }), ['ticket_other_document']);
});
