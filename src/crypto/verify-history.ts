/**
 * Verifies the execution tickets in a document's History: each signature, its key (known and trusted), that the
 * block it ran still has the same source, and — when audit-log evidence is supplied — that every ticket is in
 * the log, in log order, and that the log holds no ticket for this document that the History lacks. Pure: the
 * caller extracts History lines and block sources with the format parser and supplies keys and log evidence.
 */
import { diagnostic, type Diagnostic, type Point } from '../shared/index.js';
import { utf8ToBytes } from './bytes.js';
import { hashLeaf, verifyInclusion } from './merkle.js';
import { decodeTicket, verifyTicket, type KeyLookup, type Ticket, type TicketFailureCode } from './ticket.js';

export interface HistoryTicketLine {
  /** The compact ticket (`base64url.base64url`) from the line, or the whole line when it did not parse. */
  readonly compact: string;
  /** Where the History line starts. */
  readonly place: Point;
  /** False when the line carries the [TICKET] marker but not a well-formed compact ticket. */
  readonly parsed: boolean;
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
}

export interface VerifyHistoryInput {
  readonly tickets: readonly HistoryTicketLine[];
  /** blockId → current source text (as the format parser gives it). */
  readonly blocks: ReadonlyMap<string, string>;
  readonly keys: KeyLookup;
  /** The document's id; tickets for another document are reported. */
  readonly docId?: string;
  readonly log?: LogEvidence;
  /** Where to report tickets missing from History (e.g. the History heading). */
  readonly historyPlace?: Point;
}

export interface VerifyHistoryResult {
  readonly ok: boolean;
  readonly verified: number;
  readonly diagnostics: readonly Diagnostic[];
}

const FAILURE_CODES: Readonly<Record<TicketFailureCode, string>> = {
  malformed: 'ticket_malformed',
  unknown_key: 'ticket_unknown_key',
  untrusted_key: 'ticket_untrusted_key',
  bad_signature: 'ticket_bad_signature',
  code_hash_mismatch: 'ticket_code_changed',
};

export function verifyHistory(input: VerifyHistoryInput): VerifyHistoryResult {
  const diagnostics: Diagnostic[] = [];
  const report = (code: string, message: string, place: Point): void =>
    void diagnostics.push(
      diagnostic({ code, severity: 'error', message, place, ruleId: 'ticket-verify', source: 'maml' }),
    );
  let verified = 0;
  let lastIndex = -1;
  const seen = new Set<string>();
  for (const line of input.tickets) {
    if (!line.parsed) {
      report(
        'ticket_malformed',
        'this [TICKET] line does not hold a ticket of the form `<base64url>.<base64url>`',
        line.place,
      );
      continue;
    }
    const decoded = decodeTicket(line.compact);
    const ticket: Ticket | undefined = decoded.ok ? decoded.ticket : undefined;
    const source = ticket ? input.blocks.get(ticket.blockId) : undefined;
    const result = verifyTicket(
      line.compact,
      source === undefined ? { keys: input.keys } : { keys: input.keys, blockSource: source },
    );
    let good = result.ok;
    for (const f of result.failures) report(FAILURE_CODES[f.code], f.message, line.place);
    if (ticket && source === undefined) {
      report(
        'ticket_block_missing',
        `ticket is for block "${ticket.blockId}", which this document no longer has`,
        line.place,
      );
      good = false;
    }
    if (ticket && input.docId !== undefined && ticket.docId !== input.docId) {
      report('ticket_other_document', `ticket belongs to document ${ticket.docId}, not ${input.docId}`, line.place);
      good = false;
    }
    if (input.log) {
      seen.add(line.compact);
      const log = input.log;
      const leaf = hashLeaf(utf8ToBytes(line.compact));
      const index = log.indexOf(leaf);
      if (index === undefined || index >= log.size) {
        report('ticket_not_in_log', 'ticket is not in the audit log', line.place);
        good = false;
      } else {
        if (!verifyInclusion(leaf, index, log.size, log.inclusionProof(index), log.root)) {
          report('ticket_inclusion_invalid', `inclusion proof for log entry ${index} does not verify`, line.place);
          good = false;
        }
        if (index < lastIndex) {
          report(
            'ticket_out_of_order',
            `History lists this ticket after one logged later (log entry ${index} < ${lastIndex})`,
            line.place,
          );
          good = false;
        }
        lastIndex = Math.max(lastIndex, index);
      }
    }
    if (good) verified++;
  }
  const docId = input.docId;
  if (input.log?.ticketsFor && docId !== undefined) {
    for (const logged of input.log.ticketsFor(docId)) {
      if (logged.index >= input.log.size || seen.has(logged.compact)) continue;
      report(
        'ticket_missing_from_history',
        `audit log entry ${logged.index} is a ticket for this document that History does not list (a History line was removed)`,
        input.historyPlace ?? input.tickets[0]?.place ?? { line: 1, column: 1, offset: 0 },
      );
    }
  }
  return { ok: diagnostics.length === 0, verified, diagnostics };
}

/** Helper for log-backed evidence: the doc id of a logged compact ticket, if it decodes. */
export function loggedTicketDocId(compact: string): string | undefined {
  const d = decodeTicket(compact);
  return d.ok ? d.ticket.docId : undefined;
}
