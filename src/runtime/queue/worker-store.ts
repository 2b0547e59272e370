/**
 * The workers and their ticket keys in the run database (maml.workers, maml.worker_keys): registration,
 * heartbeats, the live list `maml workers` prints, and the endorsements that make a worker's key trusted.
 *
 * Trust model: a worker registers the public keys its heads sign tickets with; registering grants nothing. A key
 * is trusted only with an endorsement: an ML-DSA signature, by the operator's `worker-admission` key (in the
 * gateway's keyring, never in the database), over the key's id, its worker's name and its public key
 * (`maml workers trust`). A gateway accepts a worker's ticket only under a key whose endorsement verifies against
 * its own admission key, so write access to the database (which every worker has) is not enough to trust a key.
 */
import { hostname } from 'node:os';
import {
  fromBase64,
  mlDsaSign,
  mlDsaVerify,
  publicKeyId,
  toBase64,
  utf8ToBytes,
  type MlDsaAlg,
  type TicketSigner,
} from '../../crypto/index.js';
import type { SqlClient } from '../db/database.js';

/** The keyring key that endorses worker keys. */
export const ADMISSION_KEY = 'worker-admission';
const ENDORSEMENT_CONTEXT = utf8ToBytes('maml-worker-key/v1');

export interface WorkerRow {
  readonly name: string;
  readonly host: string;
  readonly pid: number;
  readonly heads: readonly { readonly name: string; readonly headClass: string; readonly busy: boolean }[];
  readonly concurrency: number;
  readonly load: number;
  readonly startedAt: string;
  readonly heartbeatAt: string;
  /** Seconds since the last heartbeat, by the database's clock. */
  readonly silentForS: number;
  readonly stoppedAt: string | null;
}

export interface WorkerKeyRow {
  readonly keyId: string;
  readonly worker: string;
  readonly head: string;
  readonly alg: string;
  readonly publicKey: string;
  readonly endorsement: string | null;
  readonly trustedBy: string | null;
}

const iso = (v: unknown): string => (v instanceof Date ? v.toISOString() : String(v));

export async function registerWorker(db: SqlClient, worker: { name: string; concurrency: number }): Promise<void> {
  await db.query(
    `INSERT INTO maml.workers (name, host, pid, heads, concurrency) VALUES ($1, $2, $3, $4::jsonb, $5)
     ON CONFLICT (name) DO UPDATE SET host = EXCLUDED.host, pid = EXCLUDED.pid, heads = EXCLUDED.heads,
       concurrency = EXCLUDED.concurrency, load = 0, started_at = now(), heartbeat_at = now(), stopped_at = NULL`,
    [worker.name, hostname(), process.pid, JSON.stringify([]), worker.concurrency],
  );
}

export async function heartbeat(db: SqlClient, name: string, load: number, heads: WorkerRow['heads']): Promise<void> {
  await db.query(
    'UPDATE maml.workers SET heartbeat_at = now(), load = $2, heads = $3::jsonb, stopped_at = NULL WHERE name = $1',
    [name, load, JSON.stringify(heads)],
  );
}

export async function markStopped(db: SqlClient, name: string): Promise<void> {
  await db.query('UPDATE maml.workers SET stopped_at = now(), load = 0 WHERE name = $1', [name]);
}

/** Workers by name; `live` only those heard from within `liveWithinS` seconds and not stopped. */
export async function listWorkers(db: SqlClient): Promise<WorkerRow[]> {
  const rows = await db.query(
    `SELECT *, extract(epoch FROM now() - heartbeat_at)::float8 AS silent FROM maml.workers ORDER BY name`,
    [],
  );
  return rows.rows.map((r) => ({
    name: String(r['name']),
    host: String(r['host']),
    pid: Number(r['pid']),
    heads: (r['heads'] as WorkerRow['heads'] | null) ?? [],
    concurrency: Number(r['concurrency']),
    load: Number(r['load']),
    startedAt: iso(r['started_at']),
    heartbeatAt: iso(r['heartbeat_at']),
    silentForS: Number(r['silent']),
    stoppedAt: r['stopped_at'] === null ? null : iso(r['stopped_at']),
  }));
}

/** Registers a head's public key (untrusted until endorsed); also in maml.ticket_keys, where verifiers look. */
export async function registerWorkerKey(
  db: SqlClient,
  worker: string,
  head: string,
  signer: TicketSigner,
): Promise<string> {
  const keyId = publicKeyId(signer.publicKey);
  const publicKey = toBase64(signer.publicKey);
  await db.query(
    `INSERT INTO maml.worker_keys (key_id, worker, head, alg, public_key) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (key_id) DO NOTHING`,
    [keyId, worker, head, signer.alg, publicKey],
  );
  await db.query(
    'INSERT INTO maml.ticket_keys (key_id, alg, public_key) VALUES ($1, $2, $3) ON CONFLICT (key_id) DO NOTHING',
    [keyId, signer.alg, publicKey],
  );
  return keyId;
}

function keyRow(r: Record<string, unknown>): WorkerKeyRow {
  return {
    keyId: String(r['key_id']),
    worker: String(r['worker']),
    head: String(r['head']),
    alg: String(r['alg']),
    publicKey: String(r['public_key']),
    endorsement: (r['endorsement'] as string | null) ?? null,
    trustedBy: (r['trusted_by'] as string | null) ?? null,
  };
}

export async function workerKeys(db: SqlClient, worker?: string): Promise<WorkerKeyRow[]> {
  const rows = await db.query(
    `SELECT key_id, worker, head, alg, public_key, trusted_by, endorsement FROM maml.worker_keys
     WHERE $1::text IS NULL OR worker = $1 OR key_id = $1 ORDER BY worker, head`,
    [worker ?? null],
  );
  return rows.rows.map(keyRow);
}

export async function workerKey(db: SqlClient, keyId: string): Promise<WorkerKeyRow | undefined> {
  const row = (
    await db.query(
      'SELECT key_id, worker, head, alg, public_key, trusted_by, endorsement FROM maml.worker_keys WHERE key_id = $1',
      [keyId],
    )
  ).rows[0];
  return row && keyRow(row);
}

function endorsedBytes(key: Pick<WorkerKeyRow, 'keyId' | 'worker' | 'publicKey'>): Uint8Array {
  return utf8ToBytes(`${key.keyId}\n${key.worker}\n${key.publicKey}`);
}

/** Signs a worker key's endorsement with the admission key. */
export function endorse(
  key: Pick<WorkerKeyRow, 'keyId' | 'worker' | 'publicKey'>,
  admission: { alg: MlDsaAlg; secretKey: Uint8Array },
): string {
  return toBase64(mlDsaSign(admission.alg, admission.secretKey, endorsedBytes(key), ENDORSEMENT_CONTEXT));
}

/** Whether `key` carries a valid endorsement by the admission key `admission`. Never throws. */
export function isEndorsed(key: WorkerKeyRow, admission: { alg: MlDsaAlg; publicKey: Uint8Array }): boolean {
  if (!key.endorsement) return false;
  const signature = fromBase64(key.endorsement);
  if (!signature) return false;
  try {
    return mlDsaVerify(admission.alg, admission.publicKey, endorsedBytes(key), signature, ENDORSEMENT_CONTEXT);
  } catch {
    return false;
  }
}

export async function storeEndorsement(
  db: SqlClient,
  keyId: string,
  endorsement: string | null,
  by: string | null,
): Promise<void> {
  await db.query(
    'UPDATE maml.worker_keys SET endorsement = $2, trusted_by = $3, trusted_at = CASE WHEN $3::text IS NULL THEN NULL ELSE now() END WHERE key_id = $1',
    [keyId, endorsement, by],
  );
}
