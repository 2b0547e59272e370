/** Signs an execution ticket and appends it to the audit log in one step: what an executor does after each block. */
import { utf8ToBytes } from './bytes.js';
import { signTicket, type SignedTicket, type Ticket, type TicketSigner } from './ticket.js';
import type { TransparencyLog } from './transparency-log.js';

export interface LoggedTicket extends SignedTicket {
  readonly logIndex: number;
}

export async function signAndLogTicket(
  fields: Omit<Ticket, 'v' | 'keyId'>,
  signer: TicketSigner,
  log: TransparencyLog,
): Promise<LoggedTicket> {
  const signed = signTicket(fields, signer);
  const { index } = await log.append(utf8ToBytes(signed.compact));
  return { ...signed, logIndex: index };
}
