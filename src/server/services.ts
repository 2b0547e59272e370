/**
 * Everything the HTTP routes and MCP tools share: the run database (PGlite, or PostgreSQL with a URL), the head
 * pool, the audit log with its signing keys, the run manager and metrics. Built once per gateway or `maml mcp`.
 */
import { TransparencyLog, fromBase64, isMlDsaAlg, type KeyLookup, type NoteSigner } from '../crypto/index.js';
import {
  DEFAULT_HEADS,
  AUDIT_LOG_ORIGIN,
  DatabaseLogStore,
  HeadPool,
  MIGRATIONS,
  ThreadedTicketSigner,
  checkpointKeys,
  ephemeralCheckpointKeys,
  ephemeralHeadSigners,
  headSigners,
  openDatabase,
  ticketIssuer,
  type Database,
  type HeadClassCount,
  type KeyCreated,
  type SignerSource,
  type RunLimits,
} from '../runtime/index.js';
import { DocumentStore } from './document-store.js';
import { EventBus } from './event-bus.js';
import { GatewayMetrics } from './metrics.js';
import { ObservedRunStore } from './observed-run-store.js';
import { RunManager } from './run-manager.js';
import { SERVER_MIGRATIONS } from './server-migrations.js';
import { ValidationPool, type ValidationPoolOptions } from './validation/index.js';

export interface ServicesOptions {
  /** PostgreSQL URL; without it, PGlite in `dataDir` (or in memory). */
  readonly databaseUrl?: string;
  readonly dataDir?: string;
  readonly heads?: readonly HeadClassCount[];
  readonly concurrency?: number;
  /** The operator's caps on what a document may ask for (compileRunLimits); default DEFAULT_RUN_LIMITS. */
  readonly limits?: RunLimits;
  /** Runs admitted at once (queued or running); more are refused with 503 (RunManager). */
  readonly maxRuns?: number;
  readonly unsafeNoSandbox?: boolean;
  /**
   * Keyring directory with the ticket keys (one per head, `head-<head id>`) and the checkpoint keys (`audit-log`,
   * `audit-log-ed25519`), the same keys `maml run` and `maml audit checkpoint` use; missing keys are created
   * there on first use. Without it, every key lives only as long as the process.
   */
  readonly keyringDir?: string;
  /** Passphrase of sealed keyring keys (and for sealing the ones created). */
  readonly passphrase?: string;
  /** Told about each keyring key created on first use. */
  readonly onKeyCreated?: KeyCreated;
  /** Ticket signers to use instead of the keyring's per-head keys (tests). */
  readonly ticketSigners?: SignerSource;
  /** Origin line of audit-log checkpoints (C2SP tlog-checkpoint). */
  readonly logOrigin?: string;
  /**
   * Worker threads that parse and validate documents for `POST /v1/validate` and `maml_validate` (default 0:
   * on the event loop; `maml serve` picks a default from the CPU count).
   */
  readonly validateThreads?: number;
  /** Queue bound, time limit and worker entry of the validation pool. */
  readonly validatePool?: Omit<ValidationPoolOptions, 'threads'>;
}

export interface GatewayServices {
  readonly db: Database;
  readonly store: ObservedRunStore;
  readonly documents: DocumentStore;
  readonly pool: HeadPool;
  readonly log: TransparencyLog;
  readonly bus: EventBus;
  readonly runs: RunManager;
  readonly metrics: GatewayMetrics;
  /** Worker threads for validation; undefined when documents are validated on the event loop. */
  readonly validation: ValidationPool | undefined;
  /** Checkpoint signers: ML-DSA, then Ed25519. */
  readonly noteSigners: readonly NoteSigner[];
  /** Signed-note verifier key (vkey) of the ML-DSA checkpoint key. */
  readonly checkpointKey: string;
  /** Signed-note verifier key of the Ed25519 checkpoint key. */
  readonly ed25519CheckpointKey: string;
  /** Every ticket signing key this database has seen (all trusted: they are the gateway's own). */
  ticketKeys(): Promise<{ keyId: string; alg: string; publicKey: string }[]>;
  keyLookup(): Promise<KeyLookup>;
  /** Drains runs (finishing them for up to `graceMs`, then cancelling), stops the heads, closes the database. */
  close(graceMs?: number): Promise<void>;
}

/** The audit log's checkpoint origin: the same log `maml run` writes to. */
export const DEFAULT_LOG_ORIGIN = AUDIT_LOG_ORIGIN;

export async function openServices(options: ServicesOptions = {}): Promise<GatewayServices> {
  const db = await openDatabase(
    options.databaseUrl ? { url: options.databaseUrl } : { url: '', dataDir: options.dataDir ?? 'memory' },
  );
  const bus = new EventBus();
  const store = new ObservedRunStore(db, bus);
  await store.migrate([...MIGRATIONS, ...SERVER_MIGRATIONS]);
  // Under the embedded database's lock, a run still `running` belongs to a process that died.
  if (db.kind === 'pglite') await store.failInterrupted();
  const logStore = new DatabaseLogStore(db);
  const log = await TransparencyLog.open(logStore, options.logOrigin ?? DEFAULT_LOG_ORIGIN);
  const { keyringDir, passphrase, onKeyCreated } = options;
  const signers =
    options.ticketSigners ??
    (keyringDir === undefined ? ephemeralHeadSigners() : headSigners(keyringDir, passphrase, onKeyCreated));
  const noteKeys =
    keyringDir === undefined
      ? ephemeralCheckpointKeys()
      : await checkpointKeys(keyringDir, passphrase, {}, onKeyCreated);
  const threadedSigner = new ThreadedTicketSigner();
  const pool = new HeadPool({ heads: options.heads ?? DEFAULT_HEADS });
  await pool.start();
  const threads = options.validateThreads ?? 0;
  const validation = threads > 0 ? new ValidationPool({ ...options.validatePool, threads }) : undefined;
  const metrics = new GatewayMetrics(pool, validation);
  const documents = new DocumentStore(db);
  const runs = new RunManager({
    store,
    documents,
    pool,
    metrics,
    tickets: ticketIssuer(db, signers, log, () => metrics.ticketsIssued.inc(), threadedSigner),
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    ...(options.maxRuns === undefined ? {} : { maxRuns: options.maxRuns }),
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.unsafeNoSandbox ? { unsafeNoSandbox: true } : {}),
  });
  const ticketKeys = async (): Promise<{ keyId: string; alg: string; publicKey: string }[]> =>
    (await db.query('SELECT key_id, alg, public_key FROM maml.ticket_keys ORDER BY created_at, key_id', [])).rows.map(
      (r) => ({ keyId: String(r['key_id']), alg: String(r['alg']), publicKey: String(r['public_key']) }),
    );
  let closed = false;
  return {
    db,
    store,
    documents,
    pool,
    log,
    bus,
    runs,
    metrics,
    validation,
    noteSigners: noteKeys.signers,
    checkpointKey: noteKeys.verifierKey,
    ed25519CheckpointKey: noteKeys.ed25519VerifierKey,
    ticketKeys,
    async keyLookup() {
      const keys = new Map(
        (await ticketKeys()).flatMap((k) => {
          const publicKey = fromBase64(k.publicKey);
          return publicKey && isMlDsaAlg(k.alg) ? [[k.keyId, { alg: k.alg, publicKey, trusted: true }] as const] : [];
        }),
      );
      return (keyId) => keys.get(keyId);
    },
    async close(graceMs = 30_000) {
      if (closed) return;
      closed = true;
      await runs.drain(graceMs);
      await validation?.close();
      await pool.close();
      await threadedSigner.close();
      await db.close();
    },
  };
}
