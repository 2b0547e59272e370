/**
 * Verifies the provenance lines of a document's History. For each `[TICKET]` line: the signature, its key (known
 * and trusted), that the block it ran still has the same source — and, for version 2 tickets, the same language,
 * attributes and upstream blocks. For each `[EXECUTE]` line: its signed run record, that the line's text is the
 * text the run wrote, and that the run's `[TICKET]` and `[REGENERATE]` lines are exactly the ones it wrote. A
 * ticket or record written twice is reported at the second line. When audit-log evidence is supplied, every
 * ticket and record must be in the log, in log order, and the log must hold none for this document that History
 * lacks; compact-form lines (a log index and leaf hash instead of the signed object) need that evidence.
 *
 * Pure: the caller extracts History lines and block facts with the format parser and supplies keys and log
 * evidence. Problems are diagnostics at their History line, never exceptions.
 */
import { diagnostic, type Diagnostic, type Point } from '../shared/index.js';
import { bytesToHex, fromHex, utf8ToBytes } from './bytes.js';
import { hashCanonical } from './content-hash.js';
import type { LogRef } from './history-lines.js';
import { hashLeaf, verifyInclusion } from './merkle.js';
import { printable } from './printable.js';
import { decodeRunRecord, executeTextHash, ticketSetHash, verifyRunRecord, type RunRecord } from './run-record.js';
import {
  decodeTicket,
  verifyTicket,
  type BlockFacts,
  type KeyLookup,
  type Ticket,
  type TicketFailureCode,
} from './ticket.js';

export interface HistoryTicketLine {
  /** The compact ticket (`base64url.base64url`) of a full-form line; '' for a compact-form line (see `logRef`);
   * the whole line when it did not parse. */
  readonly compact: string;
  /** Where the History line starts. */
  readonly place: Point;
  /** False when the line carries the [TICKET] marker but not a well-formed ticket of either form. */
  readonly parsed: boolean;
  /** A compact-form line: the audit-log entry that holds the ticket. */
  readonly logRef?: LogRef;
}

export interface HistoryExecuteLine {
  readonly place: Point;
  /** The line's text up to its run record (all of it when it carries none). */
  readonly text: string;
  /** Full form: the compact signed run record. */
  readonly record?: string;
  /** Compact form: the audit-log entry that holds the run record. */
  readonly logRef?: LogRef;
}

export interface HistoryRegenerateLine {
  readonly place: Point;
  readonly text: string;
}

/** What a verifier knows about the audit log, typically from a verified checkpoint plus proofs from the log. */
export interface LogEvidence {
  /** Tree size and head the proofs are checked against (from a verified checkpoint, ideally). */
  readonly size: number;
  readonly root: Uint8Array;
  /** Index of the leaf with this hash, if the log has one. */
  indexOf(leafHash: Uint8Array): number | undefined;
  inclusionProof(index: number): readonly Uint8Array[];
  /** Log indices and compact tickets of every logged ticket for `docId`, in log order. */
  ticketsFor?(docId: string): readonly { readonly index: number; readonly compact: string }[];
  /** Log indices and compact run records of every logged run record for `docId`, in log order. */
  recordsFor?(docId: string): readonly { readonly index: number; readonly compact: string }[];
  /** The entry at `index` as text, if the log has it (what a compact-form line refers to). */
  entry?(index: number): string | undefined;
}

export interface VerifyHistoryInput {
  readonly tickets: readonly HistoryTicketLine[];
  readonly executes?: readonly HistoryExecuteLine[];
  readonly regenerates?: readonly HistoryRegenerateLine[];
  /** blockId → current source text (as the format parser gives it). */
  readonly blocks: ReadonlyMap<string, string>;
  /** blockId → current language, attributes hash and upstream ids, checked against version 2 tickets. */
  readonly facts?: ReadonlyMap<string, BlockFacts>;
  readonly keys: KeyLookup;
  /** The document's id; tickets and records for another document are reported. */
  readonly docId?: string;
  readonly log?: LogEvidence;
  /** Where to report tickets missing from History (e.g. the History heading). */
  readonly historyPlace?: Point;
}

export interface VerifyHistoryResult {
  /** No error diagnostics (warnings, such as unsigned `[EXECUTE]` lines, do not fail verification). */
  readonly ok: boolean;
  /** Tickets that verified. */
  readonly verified: number;
  /** `[EXECUTE]` lines whose signed run record verified, and lines that carry none. */
  readonly runsVerified: number;
  readonly runsUnsigned: number;
  readonly diagnostics: readonly Diagnostic[];
}

const FAILURE_CODES: Readonly<Record<TicketFailureCode, string>> = {
  malformed: 'ticket_malformed',
  unknown_key: 'ticket_unknown_key',
  untrusted_key: 'ticket_untrusted_key',
  bad_signature: 'ticket_bad_signature',
  code_hash_mismatch: 'ticket_code_changed',
  lang_mismatch: 'ticket_language_changed',
  attributes_mismatch: 'ticket_attributes_changed',
  upstream_mismatch: 'ticket_needs_changed',
};

const REGENERATE_RUN = /^run (\S+): block /;
const leafHex = (compact: string): string => bytesToHex(hashLeaf(utf8ToBytes(compact)));

type Item =
  | { readonly kind: 'ticket'; readonly line: HistoryTicketLine }
  | { readonly kind: 'execute'; readonly line: HistoryExecuteLine };

/** A signed object named by a History line, located (or not) in the log. */
interface Resolved {
  readonly compact?: string;
  readonly leaf: string;
  readonly index?: number;
}

export function verifyHistory(input: VerifyHistoryInput): VerifyHistoryResult {
  const diagnostics: Diagnostic[] = [];
  const report = (code: string, message: string, place: Point, severity: 'error' | 'warning' = 'error'): void =>
    void diagnostics.push(diagnostic({ code, severity, message, place, ruleId: 'ticket-verify', source: 'maml' }));
  const { log } = input;
  let verified = 0;
  let runsVerified = 0;
  let runsUnsigned = 0;
  let lastIndex = -1;
  /** Leaf hash → line of its first appearance, for tickets and for run records. */
  const ticketLeaves = new Map<string, number>();
  const recordLeaves = new Map<string, number>();
  const runBlocks = new Map<string, number>();
  const runTickets = new Map<string, string[]>();
  /** Each run's latest record: its line and whether it says the run succeeded. */
  const runRecords = new Map<string, { line: number; succeeded: boolean }>();
  /**
   * `leaves`: the run's tickets listed before the record (a record of a run that was resumed later covers those);
   * `last`: whether a later record of the same run (`maml run --resume`) follows, which then covers them all.
   */
  const records: { record: RunRecord; place: Point; leaves: string[]; last: boolean }[] = [];

  /** Finds a line's signed object: in the line (full form) or in the log (compact form). */
  const resolve = (
    what: 'ticket' | 'execute',
    full: string | undefined,
    ref: LogRef | undefined,
    place: Point,
  ): Resolved | undefined => {
    if (full !== undefined) {
      const leaf = leafHex(full);
      const index = log?.indexOf(fromHex(leaf) as Uint8Array);
      return index === undefined ? { compact: full, leaf } : { compact: full, leaf, index };
    }
    if (!ref) return undefined;
    const noun = what === 'ticket' ? 'ticket' : 'run record';
    if (!log) {
      const hints = [ref.runId && `run ${printable(ref.runId)}`, ref.blockId && `block ${printable(ref.blockId)}`]
        .filter(Boolean)
        .join(', ');
      const binds =
        what === 'ticket'
          ? `the signed ticket${hints ? ` for ${hints}` : ''}`
          : "the signed run record that binds this line's text and the run's [TICKET] and [REGENERATE] lines";
      report(
        `${what}_needs_log`,
        `this compact line names audit-log entry ${ref.logIndex} with leaf hash ${ref.leafHash}: ${binds}; it is kept in the run database, so verify with --run-log (or --log FILE)`,
        place,
      );
      return { leaf: ref.leafHash };
    }
    const entry = ref.logIndex < log.size ? log.entry?.(ref.logIndex) : undefined;
    if (entry === undefined) {
      report(`${what}_not_in_log`, `the audit log has no entry ${ref.logIndex} (it has ${log.size})`, place);
      return { leaf: ref.leafHash };
    }
    if (leafHex(entry) !== ref.leafHash) {
      report(
        `${what}_digest_mismatch`,
        `audit-log entry ${ref.logIndex} is not the ${noun} this line names (its leaf hash differs); is this the run database the document ran against?`,
        place,
      );
      return { leaf: ref.leafHash };
    }
    return { compact: entry, leaf: ref.leafHash, index: ref.logIndex };
  };

  /** Inclusion and order against the log; false when something failed. */
  const checkLog = (what: 'ticket' | 'execute', resolved: Resolved, place: Point): boolean => {
    if (!log || resolved.compact === undefined) return true;
    const { index } = resolved;
    if (index === undefined || index >= log.size) {
      report(
        `${what}_not_in_log`,
        `this ${what === 'ticket' ? 'ticket' : 'run record'} is not in the audit log`,
        place,
      );
      return false;
    }
    let good = true;
    if (!verifyInclusion(fromHex(resolved.leaf) as Uint8Array, index, log.size, log.inclusionProof(index), log.root)) {
      report(`${what}_inclusion_invalid`, `inclusion proof for log entry ${index} does not verify`, place);
      good = false;
    }
    if (index < lastIndex) {
      report(
        `${what}_out_of_order`,
        `History lists this line after one logged later (log entry ${index} < ${lastIndex})`,
        place,
      );
      good = false;
    }
    lastIndex = Math.max(lastIndex, index);
    return good;
  };

  const ticketLine = (line: HistoryTicketLine): void => {
    if (!line.parsed) {
      report(
        'ticket_malformed',
        'this [TICKET] line holds neither a ticket `<base64url>.<base64url>` nor `log=<index> leaf=<64 hex>`',
        line.place,
      );
      return;
    }
    const resolved = resolve('ticket', line.logRef ? undefined : line.compact, line.logRef, line.place);
    if (!resolved) return;
    const first = ticketLeaves.get(resolved.leaf);
    if (first !== undefined) {
      report('ticket_duplicate', `the same ticket as on line ${first}; each ticket is written once`, line.place);
      return;
    }
    ticketLeaves.set(resolved.leaf, line.place.line);
    let good = resolved.compact !== undefined;
    let ticket: Ticket | undefined;
    if (resolved.compact !== undefined) {
      const decoded = decodeTicket(resolved.compact);
      ticket = decoded.ok ? decoded.ticket : undefined;
      const source = ticket ? input.blocks.get(ticket.blockId) : undefined;
      const facts = ticket ? input.facts?.get(ticket.blockId) : undefined;
      const result = verifyTicket(resolved.compact, {
        keys: input.keys,
        ...(source === undefined ? {} : { blockSource: source }),
        ...(facts === undefined ? {} : { blockFacts: facts }),
      });
      good = result.ok;
      for (const f of result.failures) report(FAILURE_CODES[f.code], f.message, line.place);
      if (ticket && source === undefined) {
        report(
          'ticket_block_missing',
          `ticket is for block ${printable(ticket.blockId)}, which this document no longer has`,
          line.place,
        );
        good = false;
      }
      if (ticket && input.docId !== undefined && ticket.docId !== input.docId) {
        report(
          'ticket_other_document',
          `ticket belongs to document ${printable(ticket.docId)}, not ${printable(input.docId)}`,
          line.place,
        );
        good = false;
      }
      const ref = line.logRef;
      if (
        ticket &&
        ref &&
        ((ref.runId ?? ticket.runId) !== ticket.runId || (ref.blockId ?? ticket.blockId) !== ticket.blockId)
      ) {
        report(
          'ticket_line_mismatch',
          `the line says run ${printable(ref.runId ?? '')} block ${printable(ref.blockId ?? '')}, but the logged ticket is for run ${printable(ticket.runId)} block ${printable(ticket.blockId)}`,
          line.place,
        );
        good = false;
      }
    }
    const runId = ticket?.runId ?? line.logRef?.runId;
    const blockId = ticket?.blockId ?? line.logRef?.blockId;
    if (runId !== undefined && blockId !== undefined) {
      const key = `${runId}\u0000${blockId}`;
      const earlier = runBlocks.get(key);
      if (earlier !== undefined) {
        report(
          'ticket_duplicate_block',
          `a second ticket for block ${printable(blockId)} of run ${printable(runId)} (the first is on line ${earlier}); a run tickets each block once`,
          line.place,
        );
        good = false;
      } else runBlocks.set(key, line.place.line);
    }
    if (runId !== undefined) runTickets.set(runId, [...(runTickets.get(runId) ?? []), resolved.leaf]);
    if (!checkLog('ticket', resolved, line.place)) good = false;
    if (good) verified++;
  };

  const executeLine = (line: HistoryExecuteLine): void => {
    const resolved = resolve('execute', line.record, line.logRef, line.place);
    if (!resolved) {
      runsUnsigned++;
      report(
        'execute_unsigned',
        'this [EXECUTE] line carries no signed run record (written before run records were signed, or by hand): it proves nothing',
        line.place,
        'warning',
      );
      return;
    }
    const first = recordLeaves.get(resolved.leaf);
    if (first !== undefined) {
      report('execute_duplicate', `the same run record as on line ${first}; each run is recorded once`, line.place);
      return;
    }
    recordLeaves.set(resolved.leaf, line.place.line);
    if (resolved.compact === undefined) return;
    const result = verifyRunRecord(resolved.compact, input.keys);
    let good = result.ok;
    for (const f of result.failures) report(`execute_${f.code}`, f.message, line.place);
    const record = result.record;
    if (record) {
      if (executeTextHash(line.text) !== record.textHash) {
        report(
          'execute_text_changed',
          "this [EXECUTE] line's text is not the text its signed run record binds",
          line.place,
        );
        good = false;
      }
      if (input.docId !== undefined && record.docId !== input.docId) {
        report(
          'execute_other_document',
          `run record belongs to document ${printable(record.docId)}, not ${printable(input.docId)}`,
          line.place,
        );
        good = false;
      }
      const earlier = runRecords.get(record.runId);
      // A run that did not succeed may be resumed (`maml run --resume`): its next invocation records it again.
      if (earlier !== undefined && earlier.succeeded) {
        report(
          'execute_duplicate',
          `a second run record for run ${printable(record.runId)} (the first is on line ${earlier.line}, and that run succeeded)`,
          line.place,
        );
        good = false;
      } else {
        for (const previous of records) if (previous.record.runId === record.runId) previous.last = false;
        runRecords.set(record.runId, { line: line.place.line, succeeded: record.status === 'succeeded' });
        records.push({ record, place: line.place, leaves: [...(runTickets.get(record.runId) ?? [])], last: true });
      }
    }
    if (!checkLog('execute', resolved, line.place)) good = false;
    if (good) runsVerified++;
  };

  const items: Item[] = [
    ...input.tickets.map((line): Item => ({ kind: 'ticket', line })),
    ...(input.executes ?? []).map((line): Item => ({ kind: 'execute', line })),
  ].sort((a, b) => a.line.place.offset - b.line.place.offset);
  for (const item of items) {
    if (item.kind === 'ticket') ticketLine(item.line);
    else executeLine(item.line);
  }

  // Each signed run record names the set of its tickets and its [REGENERATE] lines: History must hold exactly those.
  const regenerates = new Map<string, { text: string; offset: number }[]>();
  for (const line of input.regenerates ?? []) {
    const runId = REGENERATE_RUN.exec(line.text)?.[1];
    if (runId !== undefined)
      regenerates.set(runId, [...(regenerates.get(runId) ?? []), { text: line.text, offset: line.place.offset }]);
  }
  for (const { record, place, leaves: before, last } of records) {
    const leaves = last ? (runTickets.get(record.runId) ?? []) : before;
    if (leaves.length !== record.tickets || ticketSetHash(leaves) !== record.ticketsHash) {
      const same = leaves.length === record.tickets ? ', but not the same ones' : '';
      report(
        'execute_tickets_mismatch',
        `the signed run record says run ${printable(record.runId)} issued ${record.tickets} ticket(s); History holds ${leaves.length} for it${same} (a [TICKET] line was removed, added or replaced)`,
        place,
      );
    }
    // Each invocation of a run binds the [REGENERATE] lines it wrote: those after the run's previous record.
    const previous = records.filter((r) => r.record.runId === record.runId && r.place.offset < place.offset).at(-1);
    const texts = (regenerates.get(record.runId) ?? [])
      .filter((r) => (last || r.offset < place.offset) && r.offset > (previous?.place.offset ?? -1))
      .map((r) => r.text);
    if (hashCanonical(texts) !== record.regenerateHash)
      report(
        'execute_regenerate_mismatch',
        `History's [REGENERATE] lines for run ${printable(record.runId)} (${texts.length}) are not the ones the run wrote`,
        place,
      );
  }

  const docId = input.docId;
  const missingPlace = input.historyPlace ?? input.tickets[0]?.place ?? { line: 1, column: 1, offset: 0 };
  if (log && docId !== undefined) {
    for (const logged of log.ticketsFor?.(docId) ?? []) {
      if (logged.index >= log.size || ticketLeaves.has(leafHex(logged.compact))) continue;
      report(
        'ticket_missing_from_history',
        `audit log entry ${logged.index} is a ticket for this document that History does not list (a History line was removed)`,
        missingPlace,
      );
    }
    for (const logged of log.recordsFor?.(docId) ?? []) {
      if (logged.index >= log.size || recordLeaves.has(leafHex(logged.compact))) continue;
      report(
        'execute_missing_from_history',
        `audit log entry ${logged.index} is a run record for this document that History does not list (an [EXECUTE] line was removed)`,
        missingPlace,
      );
    }
  }
  return {
    ok: !diagnostics.some((d) => d.severity === 'error'),
    verified,
    runsVerified,
    runsUnsigned,
    diagnostics,
  };
}

/** Helper for log-backed evidence: the doc id of a logged compact ticket, if it decodes. */
export function loggedTicketDocId(compact: string): string | undefined {
  const d = decodeTicket(compact);
  return d.ok ? d.ticket.docId : undefined;
}

/** Helper for log-backed evidence: the doc id of a logged run record, if it decodes. */
export function loggedRecordDocId(compact: string): string | undefined {
  const d = decodeRunRecord(compact);
  return d.ok ? d.record.docId : undefined;
}
