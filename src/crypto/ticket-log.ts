/**
 * Signs an execution ticket (or a run record) and appends it to the audit log in one step: what the runtime does
 * after each block, and once at the end of each run.
 */
import { bytesToHex, utf8ToBytes } from './bytes.js';
import { signRunRecord, type RunRecordFields, type SignedRunRecord } from './run-record.js';
import { signTicket, type SignedTicket, type TicketFields, type TicketSigner } from './ticket.js';
import type { TransparencyLog } from './transparency-log.js';

export interface LoggedTicket extends SignedTicket {
  readonly logIndex: number;
  /** RFC 9162 leaf hash of the compact ticket, hex. */
  readonly leafHash: string;
}

export interface LoggedRunRecord extends SignedRunRecord {
  readonly logIndex: number;
  readonly leafHash: string;
}

export async function signAndLogTicket(
  fields: TicketFields,
  signer: TicketSigner,
  log: TransparencyLog,
): Promise<LoggedTicket> {
  const signed = signTicket(fields, signer);
  const { index, leafHash } = await log.append(utf8ToBytes(signed.compact));
  return { ...signed, logIndex: index, leafHash: bytesToHex(leafHash) };
}

export async function signAndLogRunRecord(
  fields: RunRecordFields,
  signer: TicketSigner,
  log: TransparencyLog,
): Promise<LoggedRunRecord> {
  const signed = signRunRecord(fields, signer);
  const { index, leafHash } = await log.append(utf8ToBytes(signed.compact));
  return { ...signed, logIndex: index, leafHash: bytesToHex(leafHash) };
}
