// Public exports of ticket issuing: signed execution tickets appended to the audit log per executed block.
export { registerTicketKey, ticketIssuer } from './ticket-issuer.js';
export type { ExecutedBlock, IssuedTicket, TicketIssuer } from './ticket-issuer.js';
export { ThreadedTicketSigner } from './threaded-signer.js';
