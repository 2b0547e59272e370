/**
 * Durable mode of a gateway (`maml serve --queue`, implied by --no-local-heads; PostgreSQL only): the block queue,
 * the gateway's side of it (RemoteBlocks), and, with local heads, a worker on the gateway's own head pool whose
 * keys the gateway endorses itself. Runs are owned under a lease that the gateway renews while it runs them;
 * a run whose gateway stopped (killed, crashed) is taken over by a gateway once its lease runs out.
 */
import { hostname } from 'node:os';
import type PgBoss from 'pg-boss';
import type { TransparencyLog } from '../../crypto/index.js';
import type { Database, DurableOwner, RunStore } from '../db/index.js';
import type { HeadPool } from '../heads/head-pool.js';
import type { SignerSource } from '../tickets/ticket-issuer.js';
import type { AdmissionKey } from './admission.js';
import { openBoss } from './boss.js';
import { QueueWorker } from './queue-worker.js';
import { QueueRemoteBlocks } from './remote-blocks.js';
import { endorse, storeEndorsement, workerKeys } from './worker-store.js';

export interface DurableQueueOptions {
  readonly url: string;
  readonly db: Database;
  readonly store: RunStore;
  readonly log: TransparencyLog;
  readonly admission: AdmissionKey;
  /** How long a silent worker keeps its blocks, and a stopped gateway its runs (default 10 s). */
  readonly leaseMs?: number;
  /** Work the queue on these heads too (the gateway's own pool), signing with `signers`. */
  readonly local?: { readonly pool: HeadPool; readonly signers: SignerSource; readonly name?: string };
  readonly onError?: (error: Error) => void;
}

export interface DurableQueue {
  readonly boss: PgBoss;
  readonly remote: QueueRemoteBlocks;
  readonly worker: QueueWorker | undefined;
  readonly owner: DurableOwner;
  /** Calls `resume` with each run whose owner's lease ran out (checked every lease/3), and renews `running()`'s. */
  watchRuns(running: () => readonly string[], resume: (runId: string) => void): void;
  close(graceMs: number): Promise<void>;
}

export async function openDurableQueue(options: DurableQueueOptions): Promise<DurableQueue> {
  const leaseMs = options.leaseMs ?? 10_000;
  const boss = await openBoss(options.url, {
    supervise: true,
    ...(options.onError ? { onError: options.onError } : {}),
  });
  const remote = new QueueRemoteBlocks({
    url: options.url,
    db: options.db,
    boss,
    log: options.log,
    admission: options.admission,
    leaseMs,
  });
  let worker: QueueWorker | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    await remote.start();
    if (options.local) {
      worker = new QueueWorker({
        name: options.local.name ?? `gateway-${hostname()}`,
        url: options.url,
        db: options.db,
        boss,
        pool: options.local.pool,
        signers: options.local.signers,
      });
      await worker.start();
      // The gateway's own heads: their keys are endorsed with the admission key it holds anyway.
      for (const key of await workerKeys(options.db, worker.name))
        if (!key.trustedBy) await storeEndorsement(options.db, key.keyId, endorse(key, options.admission), 'gateway');
    }
  } catch (error) {
    await remote.close().catch(() => undefined);
    await boss.stop({ graceful: false, wait: false }).catch(() => undefined);
    throw error;
  }
  const owner: DurableOwner = { name: `gateway-${hostname()}-${process.pid}`, leaseMs };
  return {
    boss,
    remote,
    worker,
    owner,
    watchRuns(running, resume) {
      const tick = async (): Promise<void> => {
        await options.store.renewLeases(owner, running());
        for (const runId of await options.store.takeOverExpired(owner)) resume(runId);
      };
      void tick().catch(() => undefined);
      timer = setInterval(() => void tick().catch(() => undefined), Math.max(200, Math.floor(leaseMs / 3)));
      timer.unref();
    },
    async close(graceMs) {
      clearInterval(timer);
      await worker?.drain(graceMs).catch(() => undefined);
      // The runs this gateway leaves unfinished can be taken over at once (by this gateway, restarted).
      await options.db
        .query('UPDATE maml.run_plans SET lease_until = now() WHERE owner = $1 AND durable', [owner.name])
        .catch(() => undefined);
      await remote.close();
      await boss.stop({ graceful: false, wait: true, timeout: 5000 }).catch(() => undefined);
    },
  };
}
