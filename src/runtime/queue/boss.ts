/**
 * The block queue: pg-boss (PostgreSQL, `FOR UPDATE SKIP LOCKED`, retries, expiry) in schema `pgboss` of the run
 * database. pg-boss keeps its own schema and migrations; maml's tables reference its jobs by id. Jobs are sent and
 * fetched inside maml's transactions (pg-boss's `db` option), so a block's job exists exactly when its
 * `maml.block_jobs` row does, and a delivery exists exactly when its `maml.block_attempts` row does.
 */
import PgBoss from 'pg-boss';
import { MamlError } from '../../shared/index.js';
import type { SqlClient } from '../db/database.js';
import { queueName } from './block-job.js';

export const BOSS_SCHEMA = 'pgboss';

/** Deliveries of one block: the first and this many retries (a worker that died, a drain that handed it back). */
export const BLOCK_RETRY_LIMIT = 4;

export interface BossOptions {
  /** Run pg-boss's maintenance (expiry of jobs active too long, archiving): the gateway does, workers need not. */
  readonly supervise: boolean;
  /** Told about connection errors pg-boss recovers from (PostgreSQL restarting). */
  readonly onError?: (error: Error) => void;
}

/** pg-boss's view of one of our transactions. */
export function bossDb(tx: SqlClient): PgBoss.Db {
  return { executeSql: (text, values) => tx.query(text, values ?? []) };
}

export async function openBoss(url: string, options: BossOptions): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString: url,
    schema: BOSS_SCHEMA,
    application_name: 'maml-queue',
    max: 4,
    supervise: options.supervise,
    maintenanceIntervalSeconds: 5,
    schedule: false,
  });
  // Without a listener pg-boss's errors (a dropped connection while PostgreSQL restarts) would crash the process.
  boss.on('error', (error: Error) => options.onError?.(error));
  try {
    await boss.start();
  } catch (error) {
    await boss.stop({ graceful: false, wait: false }).catch(() => undefined);
    throw new MamlError(
      'unavailable',
      `could not start the block queue on the run database: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  return boss;
}

const created = new WeakMap<PgBoss, Map<string, Promise<string>>>();

/**
 * Creates the queue of a head class once per process (concurrent callers share one creation: pg-boss's
 * create_queue deadlocks against itself), and tolerates another process creating it at the same moment.
 */
export function ensureQueue(boss: PgBoss, headClass: string, expireInSeconds: number): Promise<string> {
  const name = queueName(headClass);
  let known = created.get(boss);
  if (!known) created.set(boss, (known = new Map()));
  const existing = known.get(name);
  if (existing) return existing;
  const creating = (async () => {
    for (let attempt = 1; ; attempt++) {
      if ((await boss.getQueue(name)) !== null) return name;
      try {
        await boss.createQueue(name, { name, policy: 'standard', retryLimit: BLOCK_RETRY_LIMIT, expireInSeconds });
        return name;
      } catch (error) {
        // Another process creating the same queue (its partition table, a deadlock between the two): look again.
        if (attempt >= 5) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      }
    }
  })();
  known.set(name, creating);
  creating.catch(() => known.delete(name));
  return creating;
}
