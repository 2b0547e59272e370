/**
 * Everything the HTTP routes and MCP tools share: the run database (PGlite, or PostgreSQL with a URL), the head
 * pool, the audit log with its signing keys, the run manager and metrics. Built once per gateway or `maml mcp`.
 */
import type { TransparencyLog } from '../crypto/index.js';
import { fromBase64, isMlDsaAlg, mlDsaKeygen, type KeyLookup, type NoteSigner } from '../crypto/index.js';
import { MamlError } from '../shared/index.js';
import type { DurableQueue } from '../runtime/queue/index.js';
import {
  AUDIT_LOG_ORIGIN,
  MIGRATIONS,
  ThreadedTicketSigner,
  TicketStore,
  type TicketKeyRow,
  checkpointKeys,
  compileRuntimeOptions,
  ephemeralCheckpointKeys,
  openRuntime,
  type Database,
  type HeadClassCount,
  type KeyCreated,
  type RunStore,
  type HeadPool,
  type RuntimeOptions,
  type SignerSource,
  type RunLimits,
} from '../runtime/index.js';
import { DocumentStore } from './document-store.js';
import { EventBus } from './event-bus.js';
import { GatewayMetrics } from './metrics.js';
import { RunManager } from './run-manager.js';
import { SERVER_MIGRATIONS } from './server-migrations.js';
import { ValidationPool, type ValidationPoolOptions } from './validation/index.js';

export interface ServicesOptions {
  /**
   * The runtime's options, compiled once (compileRuntimeOptions), as `maml serve` and `maml mcp` give them; when
   * absent they are compiled from the fields below (tests, embedders).
   */
  readonly runtime?: RuntimeOptions;
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
  /**
   * Durable mode (PostgreSQL only): blocks go through the run database's queue to workers (`maml worker`), runs
   * survive the gateway; `localHeads` (default true) also works the queue on this gateway's heads. `leaseMs`:
   * how long a silent worker keeps its blocks and a stopped gateway its runs (default 10 s).
   */
  readonly queue?: { readonly localHeads?: boolean; readonly leaseMs?: number };
}

export interface GatewayServices {
  readonly db: Database;
  readonly store: RunStore;
  readonly documents: DocumentStore;
  /** Where each ticket landed in the audit log, and the ticket signing keys. */
  readonly tickets: TicketStore;
  readonly pool: HeadPool;
  /** The operator's caps: what any document, or a tool such as qasm_simulate, may ask for. */
  readonly limits: RunLimits;
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
  /** Durable mode's queue, when on. */
  readonly queue: DurableQueue | undefined;
  /** Drains runs (finishing them for up to `graceMs`, then cancelling), stops the heads, closes the database. */
  close(graceMs?: number): Promise<void>;
}

/** The audit log's checkpoint origin: the same log `maml run` writes to. */
export const DEFAULT_LOG_ORIGIN = AUDIT_LOG_ORIGIN;

export async function openServices(options: ServicesOptions = {}): Promise<GatewayServices> {
  const runtimeOptions =
    options.runtime ??
    compileRuntimeOptions({
      ...(options.heads ? { heads: options.heads } : {}),
      ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
      ...(options.limits ? { limits: options.limits } : {}),
      ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : { dataDir: options.dataDir ?? 'memory' }),
      ...(options.keyringDir === undefined ? {} : { keyringDir: options.keyringDir }),
      ...(options.passphrase === undefined ? {} : { passphrase: options.passphrase }),
      ...(options.unsafeNoSandbox ? { unsafeNoSandbox: true } : {}),
      ...(options.logOrigin ? { logOrigin: options.logOrigin } : {}),
    });
  const { onKeyCreated } = options;
  const { keyringDir, passphrase } = runtimeOptions;
  const threadedSigner = new ThreadedTicketSigner();
  // Counted by the metrics, which need the pool and so come after the runtime.
  let onTicketIssued = (): void => undefined;
  // The signer's worker thread would keep the process alive: it is stopped if the runtime cannot open.
  const queueMode = options.queue;
  if (queueMode && !('url' in runtimeOptions.database))
    throw new MamlError(
      'usage',
      'durable runs (--queue, --no-local-heads) need a PostgreSQL run database shared with the workers: set DATABASE_URL',
    );
  const runtime = await openRuntime(runtimeOptions, {
    ...(queueMode?.localHeads === false ? { startHeads: false } : {}),
    migrations: [...MIGRATIONS, ...SERVER_MIGRATIONS],
    ...(onKeyCreated ? { onKeyCreated } : {}),
    ...(options.ticketSigners ? { ticketSigners: options.ticketSigners } : {}),
    onTicketIssued: () => onTicketIssued(),
    threadedSigner,
  }).catch(async (error: unknown) => {
    await threadedSigner.close().catch(() => undefined);
    throw error;
  });
  const { db, store, pool, log } = runtime;
  const noteKeys = await (
    keyringDir === null
      ? Promise.resolve(ephemeralCheckpointKeys())
      : checkpointKeys(keyringDir, passphrase ?? undefined, {}, onKeyCreated)
  ).catch(async (error: unknown) => {
    await runtime.close().catch(() => undefined);
    await threadedSigner.close().catch(() => undefined);
    throw error;
  });
  let queue: DurableQueue | undefined;
  if (queueMode && 'url' in runtimeOptions.database) {
    const { openDurableQueue, admissionKey } = await import('../runtime/queue/index.js');
    try {
      const admission =
        keyringDir === null
          ? { ...mlDsaKeygen('ml-dsa-65'), alg: 'ml-dsa-65' as const }
          : await admissionKey(keyringDir, passphrase ?? undefined, onKeyCreated);
      queue = await openDurableQueue({
        url: runtimeOptions.database.url,
        db,
        store,
        log,
        admission,
        ...(queueMode.leaseMs === undefined ? {} : { leaseMs: queueMode.leaseMs }),
        ...(queueMode.localHeads === false ? {} : { local: { pool, signers: runtime.signers } }),
      });
    } catch (error) {
      await runtime.close().catch(() => undefined);
      await threadedSigner.close().catch(() => undefined);
      throw error;
    }
  }
  const bus = new EventBus();
  const threads = options.validateThreads ?? 0;
  const validation = threads > 0 ? new ValidationPool({ ...options.validatePool, threads }) : undefined;
  const metrics = new GatewayMetrics(pool, validation);
  onTicketIssued = () => metrics.ticketsIssued.inc();
  const documents = new DocumentStore(db);
  const runs = new RunManager({
    store,
    bus,
    documents,
    pool,
    metrics,
    tickets: runtime.tickets,
    policy: () => runtime.policy(),
    cacheDir: runtimeOptions.cacheDir,
    ...(options.maxRuns === undefined ? {} : { maxRuns: options.maxRuns }),
    ...(queue ? { durable: { remote: queue.remote, owner: queue.owner } } : {}),
  });
  queue?.watchRuns(
    () => runs.runIds(),
    (runId) => void runs.takeOver(runId).catch(() => undefined),
  );
  const tickets = new TicketStore(db);
  const ticketKeys = (): Promise<TicketKeyRow[]> => tickets.keys();
  let closed = false;
  return {
    db,
    store,
    documents,
    tickets,
    pool,
    limits: runtimeOptions.limits,
    log,
    bus,
    runs,
    metrics,
    validation,
    noteSigners: noteKeys.signers,
    checkpointKey: noteKeys.verifierKey,
    ed25519CheckpointKey: noteKeys.ed25519VerifierKey,
    ticketKeys,
    queue,
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
      await queue?.close(graceMs);
      await validation?.close();
      await runtime.close();
      await threadedSigner.close();
    },
  };
}
