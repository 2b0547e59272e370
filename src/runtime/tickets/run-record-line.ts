/**
 * The `[EXECUTE]` History line of a finished run, signed: the run's record (ticket-issuer.ts `issueRun`) binds the
 * line's text, the run's tickets, its regenerations and its outputs, and the line carries the record. A record that
 * cannot be signed leaves the line unsigned (`maml verify` says so) and is reported as `record_failed`; the run
 * itself stands either way. Block workflows (executePlan) and federated runs both end here.
 */
import { executeLineText, executeTextHash, hashCanonical, ticketSetHash } from '../../crypto/index.js';
import type { HistoryForm } from '../../crypto/index.js';
import { serializeError, type SerializedError } from '../../shared/index.js';
import { storable } from '../output-check.js';
import type { RunEventData } from '../run-events.js';
import type { FinishedRun, TicketIssuer } from './ticket-issuer.js';

export interface RunRecordInput {
  readonly docId: string;
  readonly runId: string;
  readonly identity: string;
  readonly status: FinishedRun['status'];
  readonly startedAt: Date;
  readonly durationMs: number;
  /** Leaf hashes of the run's tickets, in issue order. */
  readonly ticketLeaves: readonly string[];
  /** The run's `[REGENERATE]` texts. */
  readonly regenerated: readonly string[];
  /** The line's text, already bounded (historyText). */
  readonly text: string;
  readonly outputs: unknown;
  readonly historyForm: HistoryForm;
}

export type RunRecordOutcome =
  | { readonly line: string; readonly type: 'record_issued'; readonly data: RunEventData['record_issued'] }
  | { readonly line: string; readonly type: 'record_failed'; readonly data: RunEventData['record_failed'] }
  | { readonly line: string; readonly type: null };

/** Signs the run's record (when there is an issuer) and gives the History line and the event to emit. */
export async function signRunRecord(tickets: TicketIssuer | undefined, run: RunRecordInput): Promise<RunRecordOutcome> {
  if (!tickets) return { line: run.text, type: null };
  try {
    const record = await tickets.issueRun({
      docId: run.docId,
      runId: run.runId,
      identity: run.identity,
      status: run.status,
      startedAt: run.startedAt.toISOString(),
      durationMs: Math.max(0, Math.round(run.durationMs)),
      tickets: run.ticketLeaves.length,
      ticketsHash: ticketSetHash([...run.ticketLeaves]),
      regenerateHash: hashCanonical(run.regenerated),
      textHash: executeTextHash(run.text),
      outputHash: hashCanonical(run.outputs),
    });
    return {
      line: executeLineText(run.text, record, run.historyForm),
      type: 'record_issued',
      data: { logIndex: record.logIndex, keyId: record.keyId, compact: record.compact, leafHash: record.leafHash },
    };
  } catch (error) {
    return {
      line: run.text,
      type: 'record_failed',
      data: { error: storable(serializeError(error)) as SerializedError },
    };
  }
}
