/**
 * Signed run records: what makes a History `[EXECUTE]` line verifiable. At the end of a run the scheduler signs
 * one record (ML-DSA, FIPS 204 pure, context `maml-run-v1`, the compact form of signed-json.ts) that binds the
 * run's outcome to the document's History: the exact text of the `[EXECUTE]` line, the set of tickets the run
 * issued (by RFC 9162 leaf hash) and the `[REGENERATE]` lines it wrote. The record is appended to the audit log
 * like a ticket, and the `[EXECUTE]` line carries it whole or as its log index and leaf hash (history-lines.ts).
 */
import { utf8ToBytes } from './bytes.js';
import { SHA256_HEX, hashCanonical, hashText } from './content-hash.js';
import { printable } from './printable.js';
import { KEY_ID_PATTERN, publicKeyId } from './key-id.js';
import { decodeSignedJson, signJson, signatureFailures, type KeyLookup, type SignedJsonSigner } from './signed-json.js';

export const RUN_RECORD_VERSION = 1;
/** FIPS 204 §5.2 context string for run records: never the same as a ticket's. */
export const RUN_RECORD_CONTEXT = utf8ToBytes('maml-run-v1');
/** Same bound as tickets: a run record is small (its fields are ids and hashes). */
export const MAX_RUN_RECORD_CHARS = 65_536;

export interface RunRecord {
  readonly v: typeof RUN_RECORD_VERSION;
  readonly kind: 'run';
  readonly docId: string;
  readonly runId: string;
  /** The signer: the scheduler (`scheduler`), whose key is `head-scheduler`. */
  readonly headId: string;
  readonly keyId: string;
  /** Who ran the document (checked against `permissions.execute`). */
  readonly identity: string;
  readonly status: 'succeeded' | 'failed';
  readonly startedAt: string;
  readonly durationMs: number;
  /** How many tickets the run issued, and `ticketSetHash` of their leaf hashes. */
  readonly tickets: number;
  readonly ticketsHash: string;
  /** `hashCanonical` of the texts of the run's `[REGENERATE]` lines, in the order written. */
  readonly regenerateHash: string;
  /** SHA-256 hex of the UTF-8 text of the `[EXECUTE]` line (what follows `[EXECUTE] `, up to the record). */
  readonly textHash: string;
  /** `hashCanonical` of the workflow's outputs. */
  readonly outputHash: string;
}

export type RunRecordFields = Omit<RunRecord, 'v' | 'kind' | 'keyId'>;

/** The set of a run's tickets as one hash: `hashCanonical` of their leaf hashes (hex), sorted and de-duplicated. */
export function ticketSetHash(leafHashes: Iterable<string>): string {
  return hashCanonical([...new Set(leafHashes)].sort());
}

/** SHA-256 hex of an `[EXECUTE]` line's text. */
export function executeTextHash(text: string): string {
  return hashText(text);
}

const STRINGS = ['docId', 'runId', 'headId'] as const;
const HASHES = ['ticketsHash', 'regenerateHash', 'textHash', 'outputHash'] as const;
const FIELDS = new Set([
  'v',
  'kind',
  'keyId',
  'identity',
  'status',
  'startedAt',
  'durationMs',
  'tickets',
  ...STRINGS,
  ...HASHES,
]);
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
const count = (x: unknown): boolean => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;

/** Why a value is not a valid run record, or undefined when it is one. */
export function runRecordProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'run record is not a JSON object';
  const r = value as Record<string, unknown>;
  if (r['v'] !== RUN_RECORD_VERSION || r['kind'] !== 'run') return 'not a version 1 run record';
  const extra = Object.keys(r).find((k) => !FIELDS.has(k));
  if (extra !== undefined) return `unknown run record field "${printable(extra, 60)}"`;
  for (const f of STRINGS)
    if (typeof r[f] !== 'string' || r[f] === '' || (r[f] as string).length > 512)
      return `${f} must be a short non-empty string`;
  if (typeof r['identity'] !== 'string' || r['identity'] === '' || r['identity'].length > 2048)
    return 'identity must be a non-empty string';
  for (const f of HASHES)
    if (typeof r[f] !== 'string' || !SHA256_HEX.test(r[f] as string)) return `${f} must be SHA-256 hex`;
  if (typeof r['keyId'] !== 'string' || !KEY_ID_PATTERN.test(r['keyId'])) return 'keyId must be 32 hex digits';
  if (r['status'] !== 'succeeded' && r['status'] !== 'failed') return 'status must be succeeded or failed';
  if (typeof r['startedAt'] !== 'string' || !RFC3339.test(r['startedAt']) || Number.isNaN(Date.parse(r['startedAt'])))
    return 'startedAt must be an RFC 3339 UTC time';
  if (!count(r['durationMs']) || !count(r['tickets'])) return 'durationMs and tickets must be non-negative integers';
  return undefined;
}

export interface SignedRunRecord {
  readonly record: RunRecord;
  readonly compact: string;
}

/** Fills in `v`, `kind` and `keyId`, checks and signs. Throws RangeError for an invalid record. */
export function signRunRecord(
  fields: RunRecordFields,
  signer: SignedJsonSigner & { readonly publicKey: Uint8Array },
): SignedRunRecord {
  const record: RunRecord = { ...fields, v: RUN_RECORD_VERSION, kind: 'run', keyId: publicKeyId(signer.publicKey) };
  const problem = runRecordProblem(record);
  if (problem) throw new RangeError(problem);
  return { record, compact: signJson(record, signer, RUN_RECORD_CONTEXT) };
}

export type DecodedRunRecord =
  | { readonly ok: true; readonly record: RunRecord; readonly payload: Uint8Array; readonly signature: Uint8Array }
  | { readonly ok: false; readonly reason: string };

export function decodeRunRecord(compact: string): DecodedRunRecord {
  const d = decodeSignedJson<RunRecord>(compact, 'run record', MAX_RUN_RECORD_CHARS, runRecordProblem);
  return d.ok ? { ok: true, record: d.value, payload: d.payload, signature: d.signature } : d;
}

export interface RunRecordVerification {
  readonly ok: boolean;
  readonly record?: RunRecord;
  readonly failures: readonly {
    readonly code: 'malformed' | 'unknown_key' | 'untrusted_key' | 'bad_signature';
    readonly message: string;
  }[];
}

/** Checks a compact run record's form, key and signature. Never throws. */
export function verifyRunRecord(compact: string, keys: KeyLookup): RunRecordVerification {
  const d = decodeRunRecord(compact);
  if (!d.ok) return { ok: false, failures: [{ code: 'malformed', message: d.reason }] };
  const failures = signatureFailures(keys, d.record.keyId, d.payload, d.signature, RUN_RECORD_CONTEXT);
  return { ok: failures.length === 0, record: d.record, failures };
}
