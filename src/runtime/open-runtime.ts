/**
 * The one composition root of the runtime: from compiled RuntimeOptions it opens the run database (migrated; on
 * the embedded database, runs a dead process left `running` are failed), the audit log, the per-head ticket
 * signers (keyring keys, or keys that live in memory) and their issuer, and the head pool. `maml run`, `maml serve`
 * and `maml mcp` (the last two through the gateway's services) are all built on it; the commands that only read
 * the run database (`maml runs`, `maml audit`, `maml verify --run-log`) open it with `openRunStore`, its first step.
 */
import { TransparencyLog } from '../crypto/index.js';
import { DatabaseLogStore, MIGRATIONS, RunStore, openDatabase, type Database, type Migration } from './db/index.js';
import { HeadPool } from './heads/index.js';
import type { RunPolicy } from './scheduler/run-plan.js';
import { sandboxAvailability } from './scheduler/run-policy.js';
import type { RuntimeOptions } from './runtime-options.js';
import { ephemeralHeadSigners, headSigners, type KeyCreated } from './tickets/head-signers.js';
import { ticketIssuer, type IssuedTicket, type SignerSource, type TicketIssuer } from './tickets/ticket-issuer.js';
import type { ThreadedTicketSigner } from './tickets/threaded-signer.js';

export interface RuntimeHooks {
  /** Migrations to apply (default: the runtime's own; the gateway adds its tables). */
  readonly migrations?: readonly Migration[];
  /** Start the heads of `options.heads` (default true); false for a run whose blocks need no head. */
  readonly startHeads?: boolean;
  /** Told about each keyring key created on first use. */
  readonly onKeyCreated?: KeyCreated;
  /** Ticket signers to use instead of the keyring's or ephemeral ones (tests). */
  readonly ticketSigners?: SignerSource;
  /** Called after each ticket is logged (metrics). */
  readonly onTicketIssued?: (ticket: IssuedTicket) => void;
  /** Signs tickets off the event loop. */
  readonly threadedSigner?: ThreadedTicketSigner;
}

export interface Runtime {
  readonly options: RuntimeOptions;
  readonly db: Database;
  readonly store: RunStore;
  readonly pool: HeadPool;
  readonly log: TransparencyLog;
  readonly tickets: TicketIssuer;
  /** The heads' ticket signers (also what a queue worker on this runtime's heads signs with). */
  readonly signers: SignerSource;
  /** What planRun needs to know of this runtime and machine, now. */
  policy(): RunPolicy;
  /** Stops the heads and closes the database. */
  close(): Promise<void>;
}

/** planRun's policy for these options on this machine, with the heads the pool runs (or will run). */
export function policyFor(
  options: RuntimeOptions,
  heads: { readonly classes: readonly string[]; readonly names: readonly string[] },
): RunPolicy {
  return {
    limits: options.limits,
    concurrency: options.concurrency,
    unsafeNoSandbox: options.unsafeNoSandbox,
    sandbox: options.unsafeNoSandbox ? { problem: null, networkProblem: null } : sandboxAvailability,
    heads,
    scan: options.scan,
  };
}

/**
 * Opens the run database of `database` and migrates it; on the embedded database (held under its lock), runs
 * still `running` belong to a process that died and are failed.
 */
export async function openRunStore(
  database: RuntimeOptions['database'],
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<{ db: Database; store: RunStore }> {
  const db = await openDatabase('url' in database ? { url: database.url } : { url: '', dataDir: database.dataDir });
  try {
    const store = new RunStore(db);
    await store.migrate(migrations);
    if (db.kind === 'pglite') await store.failInterrupted();
    return { db, store };
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
}

export async function openRuntime(options: RuntimeOptions, hooks: RuntimeHooks = {}): Promise<Runtime> {
  const { db, store } = await openRunStore(options.database, hooks.migrations);
  const pool = new HeadPool({ heads: hooks.startHeads === false ? [] : options.heads });
  try {
    const log = await TransparencyLog.open(new DatabaseLogStore(db), options.logOrigin);
    const signers =
      hooks.ticketSigners ??
      (options.keyringDir === null
        ? ephemeralHeadSigners()
        : headSigners(options.keyringDir, options.passphrase ?? undefined, hooks.onKeyCreated));
    const tickets = ticketIssuer(db, signers, log, hooks.onTicketIssued, hooks.threadedSigner);
    await pool.start();
    let closed = false;
    return {
      options,
      db,
      store,
      pool,
      log,
      tickets,
      signers,
      policy: () => policyFor(options, { classes: pool.classes(), names: pool.info().map((h) => h.name) }),
      async close() {
        if (closed) return;
        closed = true;
        await pool.close();
        await db.close();
      },
    };
  } catch (error) {
    await pool.close().catch(() => undefined);
    await db.close().catch(() => undefined);
    throw error;
  }
}
