// Public exports of ticket issuing: signed execution tickets appended to the audit log per executed block.
export { AUDIT_LOG_ORIGIN, registerTicketKey, ticketIssuer } from './ticket-issuer.js';
export type { ExecutedBlock, IssuedTicket, SignerSource, TicketIssuer } from './ticket-issuer.js';
export { ThreadedTicketSigner } from './threaded-signer.js';
