/**
 * Signed execution tickets. A ticket is a flat JSON object, serialized with RFC 8785 (JCS) and signed with
 * ML-DSA (FIPS 204, pure, context `maml-ticket-v1`). Compact form: base64url(JCS bytes) "." base64url(signature);
 * in a document's History it is one line: `- <ISO 8601 time>: [TICKET] <compact>`.
 */
import { fromBase64Url, toBase64Url, utf8Decode, utf8ToBytes } from './bytes.js';
import { SHA256_HEX, hashCode } from './content-hash.js';
import { JcsError, canonicalBytes, canonicalize } from './jcs.js';
import { KEY_ID_PATTERN, publicKeyId } from './key-id.js';
import { mlDsaSign, mlDsaVerify, type MlDsaAlg } from './ml-dsa.js';

export const TICKET_VERSION = 1;
export const TICKET_CONTEXT = utf8ToBytes('maml-ticket-v1');
/** Bounds the work a hostile History line can cause before any signature check. */
export const MAX_TICKET_CHARS = 32_768;

export interface Ticket {
  readonly v: typeof TICKET_VERSION;
  readonly docId: string;
  readonly runId: string;
  readonly blockId: string;
  /** The execution head (process or machine) that ran the block. */
  readonly headId: string;
  /** Id of the signing key (see key-id.ts). */
  readonly keyId: string;
  /** SHA-256 hex of the canonical JSON of the block's inputs. */
  readonly inputHash: string;
  readonly outputHash: string;
  /** SHA-256 hex of the block's source (`hashCode`). */
  readonly codeHash: string;
  /** RFC 3339 UTC timestamp. */
  readonly startedAt: string;
  readonly durationMs: number;
  /** Executor kind and version, e.g. `python@3.11`. */
  readonly executor: string;
}

const STRING_FIELDS = ['docId', 'runId', 'blockId', 'headId', 'executor'] as const;
const HASH_FIELDS = ['inputHash', 'outputHash', 'codeHash'] as const;
const FIELDS = new Set(['v', 'keyId', 'startedAt', 'durationMs', ...STRING_FIELDS, ...HASH_FIELDS]);
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

/** Why a value is not a valid ticket, or undefined when it is one. */
export function ticketProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'ticket is not a JSON object';
  const t = value as Record<string, unknown>;
  const extra = Object.keys(t).find((k) => !FIELDS.has(k));
  if (extra !== undefined) return `unknown ticket field ${JSON.stringify(extra)}`;
  if (t['v'] !== TICKET_VERSION) return `unsupported ticket version ${JSON.stringify(t['v'])}`;
  for (const f of STRING_FIELDS)
    if (typeof t[f] !== 'string' || t[f] === '' || (t[f] as string).length > 512)
      return `${f} must be a short non-empty string`;
  for (const f of HASH_FIELDS)
    if (typeof t[f] !== 'string' || !SHA256_HEX.test(t[f] as string)) return `${f} must be SHA-256 hex`;
  if (typeof t['keyId'] !== 'string' || !KEY_ID_PATTERN.test(t['keyId'])) return 'keyId must be 32 hex digits';
  if (typeof t['startedAt'] !== 'string' || !RFC3339.test(t['startedAt']) || Number.isNaN(Date.parse(t['startedAt'])))
    return 'startedAt must be an RFC 3339 UTC time';
  const d = t['durationMs'];
  if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) return 'durationMs must be a non-negative integer';
  return undefined;
}

export interface TicketSigner {
  readonly alg: MlDsaAlg;
  readonly secretKey: Uint8Array;
  readonly publicKey: Uint8Array;
}

export interface SignedTicket {
  readonly ticket: Ticket;
  /** base64url(JCS) "." base64url(signature) */
  readonly compact: string;
}

/** Fills in `v` and `keyId`, checks the fields and signs. Throws RangeError for an invalid ticket. */
export function signTicket(fields: Omit<Ticket, 'v' | 'keyId'>, signer: TicketSigner): SignedTicket {
  const ticket: Ticket = { ...fields, v: TICKET_VERSION, keyId: publicKeyId(signer.publicKey) };
  const problem = ticketProblem(ticket);
  if (problem) throw new RangeError(problem);
  const payload = canonicalBytes(ticket);
  const signature = mlDsaSign(signer.alg, signer.secretKey, payload, TICKET_CONTEXT);
  return { ticket, compact: `${toBase64Url(payload)}.${toBase64Url(signature)}` };
}

export function ticketHistoryLine(compact: string, time: string): string {
  return `- ${time}: [TICKET] ${compact}`;
}

export interface TicketLine {
  readonly time: string;
  readonly compact: string;
}

const LINE = /^\s*[-*]\s+(\S+?):?\s+\[TICKET\]\s+([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)\s*$/;

/** Recognises a History ticket line; undefined for any other line. */
export function parseTicketLine(line: string): TicketLine | undefined {
  const m = LINE.exec(line);
  return m ? { time: m[1] as string, compact: m[2] as string } : undefined;
}

/** True for lines that claim to be tickets (contain the marker), whether or not they parse. */
export function looksLikeTicketLine(line: string): boolean {
  return /\[TICKET\]/.test(line);
}

export type DecodedTicket =
  | { readonly ok: true; readonly ticket: Ticket; readonly payload: Uint8Array; readonly signature: Uint8Array }
  | { readonly ok: false; readonly reason: string };

/** Decodes the compact form without checking the signature. The payload must be exactly its own JCS form. */
export function decodeTicket(compact: string): DecodedTicket {
  if (compact.length > MAX_TICKET_CHARS) return { ok: false, reason: 'ticket too long' };
  const parts = compact.split('.');
  if (parts.length !== 2) return { ok: false, reason: 'ticket must be two base64url parts joined by "."' };
  const payload = fromBase64Url(parts[0] as string);
  const signature = fromBase64Url(parts[1] as string);
  if (!payload || !signature) return { ok: false, reason: 'ticket is not valid base64url' };
  const text = utf8Decode(payload);
  if (text === undefined) return { ok: false, reason: 'ticket payload is not UTF-8' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'ticket payload is not JSON' };
  }
  const problem = ticketProblem(value);
  if (problem) return { ok: false, reason: problem };
  try {
    if (canonicalize(value) !== text)
      return { ok: false, reason: 'ticket payload is not in canonical (RFC 8785) form' };
  } catch (error) {
    if (error instanceof JcsError) return { ok: false, reason: error.message };
    throw error;
  }
  return { ok: true, ticket: value as Ticket, payload, signature };
}

export interface KnownKey {
  readonly alg: MlDsaAlg;
  readonly publicKey: Uint8Array;
  readonly trusted: boolean;
}

/** Finds a signing key by id (keyring, server registry, …). */
export type KeyLookup = (keyId: string) => KnownKey | undefined;

export const TICKET_FAILURES = [
  'malformed',
  'unknown_key',
  'untrusted_key',
  'bad_signature',
  'code_hash_mismatch',
] as const;
export type TicketFailureCode = (typeof TICKET_FAILURES)[number];

export interface TicketFailure {
  readonly code: TicketFailureCode;
  readonly message: string;
}

export interface TicketVerification {
  readonly ok: boolean;
  readonly ticket?: Ticket;
  readonly failures: readonly TicketFailure[];
}

export interface VerifyTicketOptions {
  readonly keys: KeyLookup;
  /** The block's current source; when given, it must still hash to the ticket's codeHash. */
  readonly blockSource?: string;
}

/** Checks a compact ticket. Never throws: every problem is a failure in the result. */
export function verifyTicket(compact: string, options: VerifyTicketOptions): TicketVerification {
  const decoded = decodeTicket(compact);
  if (!decoded.ok) return { ok: false, failures: [{ code: 'malformed', message: decoded.reason }] };
  const { ticket, payload, signature } = decoded;
  const failures: TicketFailure[] = [];
  const key = options.keys(ticket.keyId);
  if (!key || publicKeyId(key.publicKey) !== ticket.keyId) {
    failures.push({ code: 'unknown_key', message: `signing key ${ticket.keyId} is not in the keyring` });
  } else {
    if (!mlDsaVerify(key.alg, key.publicKey, payload, signature, TICKET_CONTEXT))
      failures.push({ code: 'bad_signature', message: `signature does not verify under key ${ticket.keyId}` });
    if (!key.trusted) failures.push({ code: 'untrusted_key', message: `key ${ticket.keyId} is known but not trusted` });
  }
  if (options.blockSource !== undefined && hashCode(options.blockSource) !== ticket.codeHash)
    failures.push({
      code: 'code_hash_mismatch',
      message: `block ${ticket.blockId} changed since it ran (code hash differs from the ticket)`,
    });
  return { ok: failures.length === 0, ticket, failures };
}
