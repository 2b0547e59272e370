// Public exports of ticket issuing: signed execution tickets appended to the audit log per executed block.
export { AUDIT_LOG_ORIGIN, RUN_RECORD_HEAD, registerTicketKey, ticketIssuer } from './ticket-issuer.js';
export type {
  ExecutedBlock,
  FinishedRun,
  IssuedRunRecord,
  IssuedTicket,
  SignerSource,
  TicketIssuer,
} from './ticket-issuer.js';
export { ThreadedTicketSigner } from './threaded-signer.js';
export { ephemeralHeadSigners, ensureKey, headKeyName, headSigners } from './head-signers.js';
export type { KeyCreated } from './head-signers.js';
export { CHECKPOINT_ED25519_KEY, CHECKPOINT_KEY, checkpointKeys, ephemeralCheckpointKeys } from './checkpoint-keys.js';
export type { CheckpointKeyNames, CheckpointKeys } from './checkpoint-keys.js';
export { RUN_RECORD_BY_LOG_INDEX, TicketStore } from './ticket-store.js';
export type { TicketKeyRow, TicketRow } from './ticket-store.js';
