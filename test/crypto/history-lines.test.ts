// The History lines that carry tickets and run records, in full and compact form: round trips, the size of a
// compact line, hints left out for ids that are not plain ASCII, and free text made safe for one line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  executeLineText,
  historyText,
  looksLikeTicketLine,
  parseExecuteText,
  parseHistoryTicket,
  parseTicketLine,
} from '../../src/crypto/index.js';
import { formatHistoryLine } from '../../src/format/index.js';
import { ticketLineText } from '../../src/crypto/index.js';

const LEAF = 'ab'.repeat(32);
const RUN = '9bd89297-0b24-4d1e-ae16-ac31843849d8';
const TIME = new Date('2026-11-21T12:00:01.123Z');

test('a compact ticket line names the log entry, its leaf hash, run and block, and is under 200 bytes', () => {
  const text = ticketLineText(
    { compact: 'x.y', logIndex: 123456, leafHash: LEAF, runId: RUN, blockId: 'correlation' },
    'compact',
  );
  const line = formatHistoryLine({ time: TIME, action: 'TICKET', text });
  assert.equal(line, `- 2026-11-21T12:00:01Z: [TICKET] log=123456 leaf=${LEAF} run=${RUN} block=correlation`);
  assert.ok(Buffer.byteLength(line) < 200, `${Buffer.byteLength(line)} bytes`);
  assert.deepEqual(parseHistoryTicket(line), {
    time: '2026-11-21T12:00:01Z',
    logRef: { logIndex: 123456, leafHash: LEAF, runId: RUN, blockId: 'correlation' },
  });
  assert.equal(parseTicketLine(line), undefined, 'not a full-form line');
  assert.ok(looksLikeTicketLine(line));
});

test('the full form carries the signed ticket itself', () => {
  const text = ticketLineText(
    { compact: 'eyJ2IjoyfQ.c2ln', logIndex: 3, leafHash: LEAF, runId: RUN, blockId: 'b' },
    'full',
  );
  const line = formatHistoryLine({ time: TIME, action: 'TICKET', text });
  assert.deepEqual(parseHistoryTicket(line), { time: '2026-11-21T12:00:01Z', compact: 'eyJ2IjoyfQ.c2ln' });
  assert.deepEqual(parseTicketLine(line), { time: '2026-11-21T12:00:01Z', compact: 'eyJ2IjoyfQ.c2ln' });
});

test('run and block hints are left out when an id is not printable ASCII without spaces', () => {
  for (const blockId of ['has space', 'esc\u001b[31m', 'ünï', 'x'.repeat(129)]) {
    const text = ticketLineText({ compact: 'x.y', logIndex: 1, leafHash: LEAF, runId: RUN, blockId }, 'compact');
    assert.equal(text, `log=1 leaf=${LEAF} run=${RUN}`);
  }
  const bad = ['log=01 leaf=' + LEAF, `log=1 leaf=${LEAF.slice(1)}`, `log=1 leaf=${LEAF} extra`, 'log=1'];
  for (const text of bad) assert.equal(parseHistoryTicket(`- 2026-11-21T12:00:01Z: [TICKET] ${text}`), undefined, text);
});

test('[EXECUTE] text round-trips with its run record in either form; a line without one is unsigned', () => {
  const record = { compact: 'eyJ2IjoxfQ.c2ln', logIndex: 9, leafHash: LEAF };
  const text = `run ${RUN} succeeded in 0.52 s by agent://local: bell ok on quantum-1`;
  assert.deepEqual(parseExecuteText(executeLineText(text, record, 'full')), { text, compact: record.compact });
  const compact = executeLineText(text, record, 'compact');
  assert.equal(compact, `${text} {record log=9 leaf=${LEAF}}`);
  assert.deepEqual(parseExecuteText(compact), { text, logRef: { logIndex: 9, leafHash: LEAF } });
  assert.deepEqual(parseExecuteText(text), { text });
  // Text that quotes a record earlier on the line does not confuse the split: the record is the last one.
  const quoting = `${text} (error: {record log=1 leaf=${'cd'.repeat(32)}} was printed)`;
  assert.deepEqual(parseExecuteText(executeLineText(quoting, record, 'compact')).text, quoting);
});

test('an [EXECUTE] line whose text quotes [TICKET] is not taken for a ticket line', () => {
  assert.equal(
    looksLikeTicketLine('- 2026-11-21T12:00:05Z: [EXECUTE] run r failed: block said "[TICKET] abc.def"'),
    false,
  );
  assert.equal(looksLikeTicketLine('garbage [TICKET] abc.def'), true, 'a line of no entry shape with the marker');
});

test('historyText: one line, no control characters, bounded', () => {
  assert.equal(historyText('failed:\n  line two\r\n\u2028three'), 'failed: line two three');
  assert.equal(historyText('red \u001b[31m text \u202e reversed'), 'red \\u{1b}[31m text \\u{202e} reversed');
  const long = historyText('x'.repeat(5000), 100);
  assert.equal(long.length, 101);
  assert.ok(long.endsWith('…'));
  const line = formatHistoryLine({
    time: TIME,
    action: 'EXECUTE',
    text: historyText('a\n- 2026-01-01T00:00:00Z: [TICKET] x.y'),
  });
  assert.equal(line.split('\n').length, 1);
});
