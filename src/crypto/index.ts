/** Public exports of the crypto area: provenance and security primitives built on vetted libraries only. */
export {
  bytesToHex,
  equalBytes,
  fromBase64,
  fromBase64Url,
  fromHex,
  hexToBytes,
  randomBytes,
  toBase64,
  toBase64Url,
  utf8Decode,
  utf8ToBytes,
  wipe,
} from './bytes.js';
export {
  EMPTY_ROOT,
  HASH_SIZE,
  hashChildren,
  hashLeaf,
  splitPoint,
  verifyConsistency,
  verifyInclusion,
} from './merkle.js';
export { MerkleTree } from './merkle-tree.js';
export type { LogStore, StoredLeaf } from './log-store.js';
export { MemoryLogStore } from './log-store.js';
export type { Appended } from './transparency-log.js';
export { TransparencyLog } from './transparency-log.js';
export type { AuditIssue, AuditIssueCode, AuditOptions, AuditResult } from './audit.js';
export { AUDIT_ISSUES, auditVerify } from './audit.js';
export type { Checkpoint } from './checkpoint.js';
export { formatCheckpoint, parseCheckpoint } from './checkpoint.js';
export type { NoteSigner, NoteVerifier, OpenedNote } from './signed-note.js';
export {
  ED25519_NOTE_TYPE,
  NOTE_ML_DSA_CONTEXT,
  ed25519NoteSigner,
  ed25519NoteVerifier,
  isValidKeyName,
  mlDsaNoteSigner,
  mlDsaNoteType,
  mlDsaNoteVerifier,
  noteKeyId,
  openNote,
  parseVerifierKey,
  signNote,
  verifierKey,
} from './signed-note.js';
export type { Ed25519KeyPair } from './ed25519.js';
export { ed25519Keygen, ed25519Sign, ed25519Verify } from './ed25519.js';
export type { MlDsaAlg, MlDsaKeyPair } from './ml-dsa.js';
export { ML_DSA_ALGS, ML_DSA_SIZES, isMlDsaAlg, mlDsaKeygen, mlDsaSign, mlDsaVerify } from './ml-dsa.js';
export type { JsonValue } from './jcs.js';
export { JcsError, canonicalBytes, canonicalize } from './jcs.js';
export { KEY_ID_PATTERN, publicKeyId } from './key-id.js';
export { SHA256_HEX, hashCanonical, hashCode, hashText } from './content-hash.js';
export type {
  BlockFacts,
  DecodedTicket,
  SignedTicket,
  Ticket,
  TicketFailure,
  TicketFailureCode,
  TicketFields,
  TicketSigner,
  TicketV1,
  TicketV2,
  TicketVerification,
  VerifyTicketOptions,
} from './ticket.js';
export {
  MAX_TICKET_CHARS,
  MAX_UPSTREAM,
  TICKET_CONTEXT,
  TICKET_CONTEXTS,
  TICKET_FAILURES,
  TICKET_VERSION,
  decodeTicket,
  hashAttributes,
  signTicket,
  ticketProblem,
  verifyTicket,
} from './ticket.js';
export type { DecodedJson, KeyLookup, KnownKey, SignedJsonSigner } from './signed-json.js';
export { decodeSignedJson, signJson, signatureFailures } from './signed-json.js';
export type {
  DecodedRunRecord,
  RunRecord,
  RunRecordFields,
  RunRecordVerification,
  SignedRunRecord,
} from './run-record.js';
export {
  MAX_RUN_RECORD_CHARS,
  RUN_RECORD_CONTEXT,
  RUN_RECORD_VERSION,
  decodeRunRecord,
  executeTextHash,
  runRecordProblem,
  signRunRecord,
  ticketSetHash,
  verifyRunRecord,
} from './run-record.js';
export type { ExecuteText, HistoryForm, LogRef, LoggedObject, TicketLine, TicketLineRef } from './history-lines.js';
export {
  DEFAULT_HISTORY_FORM,
  HISTORY_FORMS,
  executeLineText,
  historyEntry,
  historyText,
  isHistoryForm,
  looksLikeTicketLine,
  parseExecuteText,
  parseHistoryTicket,
  parseTicketLine,
  ticketHistoryLine,
  ticketLineText,
} from './history-lines.js';
export { printable } from './printable.js';
export type { MlKemAlg, MlKemKeyPair } from './ml-kem.js';
export {
  ML_KEM_ALGS,
  mlKemCheckPublicKey,
  mlKemCheckSecretKey,
  mlKemDecapsulate,
  mlKemEncapsulate,
  mlKemKeygen,
  mlKemSizes,
} from './ml-kem.js';
export { GCM_IV_BYTES, GCM_TAG_BYTES, aesGcmOpen, aesGcmSeal } from './aes-gcm.js';
export type { HybridKeyPair, KemSuite } from './hybrid-kem.js';
export {
  KEM_SEED_BYTES,
  KEM_SUITES,
  hybridDecapsulate,
  hybridEncapsulate,
  hybridKeygen,
  hybridSizes,
  isKemSuite,
} from './hybrid-kem.js';
export type { ExpandedKey, KeyAlg } from './key-material.js';
export {
  KEY_ALGS,
  KEY_ALG_ALIASES,
  SIGNING_ALGS,
  expandSeed,
  isEncryptionAlg,
  isNoteAlg,
  isSigningAlg,
  newSeed,
  resolveKeyAlg,
  seedBytes,
} from './key-material.js';
export type { ScryptParams, SecretBox } from './secret-box.js';
export { DEFAULT_SCRYPT, openSecret, sealSecret } from './secret-box.js';
export type { DecryptResult, EnvelopeHeader, EnvelopeMode, EnvelopeRecipient, ParsedEnvelope } from './envelope.js';
export {
  ARMOR_BEGIN,
  ARMOR_END,
  ENVELOPE_MODES,
  MODE_SUITE,
  decryptBody,
  encryptBody,
  envelopeRecipients,
  parseEnvelope,
} from './envelope.js';
export type {
  HistoryExecuteLine,
  HistoryRegenerateLine,
  HistoryTicketLine,
  LogEvidence,
  VerifyHistoryInput,
  VerifyHistoryResult,
} from './verify-history.js';
export { loggedRecordDocId, loggedTicketDocId, verifyHistory } from './verify-history.js';
export { logEvidence } from './log-evidence.js';
export type { LoggedRunRecord, LoggedTicket } from './ticket-log.js';
export { signAndLogRunRecord, signAndLogTicket } from './ticket-log.js';
