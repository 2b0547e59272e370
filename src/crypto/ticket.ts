/**
 * Signed execution tickets. A ticket is a flat JSON object, serialized with RFC 8785 (JCS) and signed with
 * ML-DSA (FIPS 204, pure). Compact form: base64url(JCS bytes) "." base64url(signature). In a document's History it
 * is one line, either the whole compact ticket (full form) or its audit-log index and leaf hash (compact form,
 * history-lines.ts).
 *
 * Version 2 (what `signTicket` writes) also binds what decided what ran: the block's language, the hash of its
 * attributes (`shots=`, `seed=`, `backend=`, `timeout=`, `head=`, …) and its ordered upstream block ids. Version 1
 * tickets (no such fields, context `maml-ticket-v1`) still decode and verify as they always did.
 */
import { utf8ToBytes } from './bytes.js';
import { SHA256_HEX, hashCanonical, hashCode } from './content-hash.js';
import { KEY_ID_PATTERN, publicKeyId } from './key-id.js';
import type { MlDsaAlg } from './ml-dsa.js';
import { printable } from './printable.js';
import { decodeSignedJson, signJson, signatureFailures, type KeyLookup } from './signed-json.js';

export type { KeyLookup, KnownKey } from './signed-json.js';

/** The version `signTicket` writes. */
export const TICKET_VERSION = 2;
/** ML-DSA context strings (FIPS 204 §5.2), one per ticket version so a signature never crosses versions. */
export const TICKET_CONTEXTS: Readonly<Record<1 | 2, Uint8Array>> = {
  1: utf8ToBytes('maml-ticket-v1'),
  2: utf8ToBytes('maml-ticket-v2'),
};
export const TICKET_CONTEXT = TICKET_CONTEXTS[TICKET_VERSION];
/**
 * Bounds the work a hostile History line can cause before any signature check; `signTicket` refuses to make a
 * ticket longer, so every ticket it signs also decodes.
 */
export const MAX_TICKET_CHARS = 65_536;
/** Most upstream ids a version 2 ticket lists (a fan-in this wide is already unusual). */
export const MAX_UPSTREAM = 1024;

interface TicketCommon {
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

/** Version 1: inputs, outputs and source, but not the attributes, language or upstream blocks. */
export interface TicketV1 extends TicketCommon {
  readonly v: 1;
}

export interface TicketV2 extends TicketCommon {
  readonly v: 2;
  /** The block's language as the format normalises it (`python`, `qasm`, …). */
  readonly lang: string;
  /** SHA-256 hex of the RFC 8785 form of the block's attributes (`hashAttributes`). */
  readonly attrsHash: string;
  /** Direct upstream block ids (`needs=` and `## Dependencies`), in the task graph's order. */
  readonly upstream: readonly string[];
  /**
   * The block's calls to the quantum engine (`maml.quantum`): circuit evaluations and whole milliseconds of
   * simulator time. Present only when the block made calls, so tickets of other blocks are unchanged.
   */
  readonly quantum?: { readonly calls: number; readonly simulatorMs: number };
}

export type Ticket = TicketV1 | TicketV2;
/** What the signer supplies; `v` and `keyId` are filled in. */
export type TicketFields = Omit<TicketV2, 'v' | 'keyId'>;

/** SHA-256 hex of a block's attributes (name → value text, as the info string gives them) in RFC 8785 form. */
export function hashAttributes(attributes: Readonly<Record<string, string>>): string {
  return hashCanonical(attributes);
}

const STRING_FIELDS = ['docId', 'runId', 'blockId', 'headId', 'executor'] as const;
const HASH_FIELDS = ['inputHash', 'outputHash', 'codeHash'] as const;
const V1_FIELDS = new Set(['v', 'keyId', 'startedAt', 'durationMs', ...STRING_FIELDS, ...HASH_FIELDS]);
const V2_FIELDS = new Set([...V1_FIELDS, 'lang', 'attrsHash', 'upstream', 'quantum']);
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
const isShortString = (x: unknown, max = 512): boolean => typeof x === 'string' && x !== '' && x.length <= max;

/** Why a value is not a valid ticket, or undefined when it is one. */
export function ticketProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'ticket is not a JSON object';
  const t = value as Record<string, unknown>;
  if (t['v'] !== 1 && t['v'] !== 2)
    return `unsupported ticket version ${printable(String(JSON.stringify(t['v'])), 40)}`;
  const fields = t['v'] === 1 ? V1_FIELDS : V2_FIELDS;
  const extra = Object.keys(t).find((k) => !fields.has(k));
  if (extra !== undefined) return `unknown ticket field "${printable(extra, 60)}"`;
  for (const f of STRING_FIELDS) if (!isShortString(t[f])) return `${f} must be a short non-empty string`;
  for (const f of HASH_FIELDS)
    if (typeof t[f] !== 'string' || !SHA256_HEX.test(t[f] as string)) return `${f} must be SHA-256 hex`;
  if (typeof t['keyId'] !== 'string' || !KEY_ID_PATTERN.test(t['keyId'])) return 'keyId must be 32 hex digits';
  if (typeof t['startedAt'] !== 'string' || !RFC3339.test(t['startedAt']) || Number.isNaN(Date.parse(t['startedAt'])))
    return 'startedAt must be an RFC 3339 UTC time';
  const d = t['durationMs'];
  if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) return 'durationMs must be a non-negative integer';
  if (t['v'] === 2) {
    if (!isShortString(t['lang'], 64)) return 'lang must be a short non-empty string';
    if (typeof t['attrsHash'] !== 'string' || !SHA256_HEX.test(t['attrsHash'])) return 'attrsHash must be SHA-256 hex';
    const up = t['upstream'];
    if (!Array.isArray(up) || up.length > MAX_UPSTREAM || !up.every((id) => isShortString(id)))
      return `upstream must be a list of at most ${MAX_UPSTREAM} block ids`;
    if (new Set(up).size !== up.length) return 'upstream lists a block twice';
    const q = t['quantum'];
    if (q !== undefined) {
      const usage = typeof q === 'object' && q !== null && !Array.isArray(q) ? (q as Record<string, unknown>) : {};
      const count = (x: unknown): boolean => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
      if (Object.keys(usage).length !== 2 || !count(usage['calls']) || !count(usage['simulatorMs']))
        return 'quantum must be {calls, simulatorMs} with non-negative integers';
    }
  }
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

/**
 * Fills in `v` (always the current version) and `keyId`, checks the fields and signs. Throws RangeError for an
 * invalid ticket or one whose compact form would exceed MAX_TICKET_CHARS.
 */
export function signTicket(fields: TicketFields, signer: TicketSigner): SignedTicket {
  const ticket: TicketV2 = {
    ...fields,
    upstream: [...fields.upstream],
    v: TICKET_VERSION,
    keyId: publicKeyId(signer.publicKey),
  };
  const problem = ticketProblem(ticket);
  if (problem) throw new RangeError(problem);
  const compact = signJson(ticket, signer, TICKET_CONTEXTS[ticket.v]);
  if (compact.length > MAX_TICKET_CHARS)
    throw new RangeError(`the ticket would be ${compact.length} characters, more than ${MAX_TICKET_CHARS}`);
  return { ticket, compact };
}

export type DecodedTicket =
  | { readonly ok: true; readonly ticket: Ticket; readonly payload: Uint8Array; readonly signature: Uint8Array }
  | { readonly ok: false; readonly reason: string };

/** Decodes the compact form without checking the signature. The payload must be exactly its own JCS form. */
export function decodeTicket(compact: string): DecodedTicket {
  const d = decodeSignedJson<Ticket>(compact, 'ticket', MAX_TICKET_CHARS, ticketProblem);
  return d.ok ? { ok: true, ticket: d.value, payload: d.payload, signature: d.signature } : d;
}

export const TICKET_FAILURES = [
  'malformed',
  'unknown_key',
  'untrusted_key',
  'bad_signature',
  'code_hash_mismatch',
  'lang_mismatch',
  'attributes_mismatch',
  'upstream_mismatch',
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

/** What the current document says about a block, to compare with what a version 2 ticket says ran. */
export interface BlockFacts {
  readonly lang: string;
  /** `hashAttributes` of the block's attributes. */
  readonly attrsHash: string;
  readonly upstream: readonly string[];
}

export interface VerifyTicketOptions {
  readonly keys: KeyLookup;
  /** The block's current source; when given, it must still hash to the ticket's codeHash. */
  readonly blockSource?: string;
  /** The block's current language, attributes and upstream blocks; checked against version 2 tickets. */
  readonly blockFacts?: BlockFacts;
}

const list = (ids: readonly string[]): string =>
  ids.length === 0 ? 'none' : ids.map((id) => printable(id)).join(', ');

/** Version 2 fields that no longer match the document. Version 1 tickets do not cover them. */
function factFailures(ticket: Ticket, facts: BlockFacts): TicketFailure[] {
  if (ticket.v === 1) return [];
  const block = printable(ticket.blockId);
  const failures: TicketFailure[] = [];
  if (ticket.lang !== facts.lang)
    failures.push({
      code: 'lang_mismatch',
      message: `block ${block} is now ${printable(facts.lang)}; the ticket says it ran as ${printable(ticket.lang)}`,
    });
  if (ticket.attrsHash !== facts.attrsHash)
    failures.push({
      code: 'attributes_mismatch',
      message: `block ${block}'s attributes (shots=, seed=, backend=, timeout=, head=, …) changed since it ran`,
    });
  if (ticket.upstream.length !== facts.upstream.length || ticket.upstream.some((id, i) => id !== facts.upstream[i]))
    failures.push({
      code: 'upstream_mismatch',
      message: `block ${block} now depends on ${list(facts.upstream)}; it ran after ${list(ticket.upstream)}`,
    });
  return failures;
}

/** Checks a compact ticket. Never throws: every problem is a failure in the result. */
export function verifyTicket(compact: string, options: VerifyTicketOptions): TicketVerification {
  const decoded = decodeTicket(compact);
  if (!decoded.ok) return { ok: false, failures: [{ code: 'malformed', message: decoded.reason }] };
  const { ticket, payload, signature } = decoded;
  const failures: TicketFailure[] = signatureFailures(
    options.keys,
    ticket.keyId,
    payload,
    signature,
    TICKET_CONTEXTS[ticket.v],
  );
  if (options.blockSource !== undefined && hashCode(options.blockSource) !== ticket.codeHash)
    failures.push({
      code: 'code_hash_mismatch',
      message: `block ${printable(ticket.blockId)} changed since it ran (code hash differs from the ticket)`,
    });
  if (options.blockFacts) failures.push(...factFailures(ticket, options.blockFacts));
  return { ok: failures.length === 0, ticket, failures };
}
