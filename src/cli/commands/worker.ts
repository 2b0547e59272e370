/**
 * `maml worker`: a process on any machine that starts heads and takes blocks from the run database's queue
 * (PostgreSQL), heartbeating, until SIGTERM or SIGINT, then drains: running blocks finish within the grace
 * period, the rest are handed back to the queue, and it exits 0.
 */
import { hostname } from 'node:os';
import { readPassphrase, resolveKeyringDir } from '../../keyring/index.js';
import { HeadPool, RunStore, headSigners, openDatabase, parseHeads } from '../../runtime/index.js';
import { QueueWorker, listWorkers, openBoss, workerKeys } from '../../runtime/queue/index.js';
import { MamlError } from '../../shared/index.js';
import type { Command } from '../command.js';
import { keyCreatedNotice } from '../key-notice.js';
import { flag, stringOption } from '../options.js';
import { databaseUrlFrom, loadProjectConfig, reportConfigWarnings } from '../project-config.js';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

function count(text: string | undefined, what: string, fallback: number, max: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1 || n > max)
    throw new MamlError('usage', `--${what} must be a whole number from 1 to ${max} (got \`${text}\`)`);
  return n;
}

export const workerCommand: Command = {
  name: 'worker',
  summary: 'take blocks from the PostgreSQL queue and run them on this machine’s heads',
  help: `Usage: maml worker [--database-url URL] [--heads quantum:2,ai:2] [--name NAME]
                   [--concurrency N] [--keyring DIR] [--passphrase-file F] [--grace 30]
                   [--allow-unsafe-no-sandbox]

Starts heads on this machine and runs the blocks that gateways (maml serve --queue) put in the
run database's queue (pg-boss on PostgreSQL): each block on a head of its class, its ticket
signed with that head's key from this worker's keyring (head-<name>-<head>, created on first
use). The keys' public halves are registered in the database; a gateway accepts the tickets
only once an operator has trusted them: maml workers trust NAME (docs/durable-runs.md).

Heartbeats every second; a worker silent for longer than the gateway's lease has its blocks
retried on other workers. SIGTERM or SIGINT drains: no new blocks, running blocks get the grace
period to finish, the rest are handed back to the queue; then it exits 0.

Options:
  --database-url <url>  PostgreSQL run database (default DATABASE_URL or database.url in .maml.yaml)
  --heads <spec>        head classes and counts (default quantum:2,ai:2; also heads in .maml.yaml)
  --name <name>         this worker's name (default: the host name); letters, digits, . _ -
  --concurrency <n>     blocks at once (default: one per head)
  --keyring <dir>       this worker's keyring (default $MAML_KEYRING or ~/.config/maml/keyring)
  --passphrase-file <f> passphrase of sealed keys (default $MAML_KEY_PASSPHRASE)
  --grace <seconds>     how long a drain lets running blocks finish (default 30)
  --allow-unsafe-no-sandbox  run blocks of runs started with --unsafe-no-sandbox (refused otherwise)

Exit status: 0 after a drain, 1 when the database or the heads cannot be started, 2 usage errors.`,
  options: {
    'database-url': { type: 'string' },
    heads: { type: 'string' },
    name: { type: 'string' },
    concurrency: { type: 'string' },
    keyring: { type: 'string' },
    'passphrase-file': { type: 'string' },
    grace: { type: 'string' },
    'allow-unsafe-no-sandbox': { type: 'boolean' },
  },
  async run(ctx) {
    if (ctx.positionals.length > 0) throw new MamlError('usage', 'maml worker takes no file arguments');
    const config = loadProjectConfig(ctx.cwd);
    reportConfigWarnings(config, (text) => ctx.out.error(text));
    const url = stringOption(ctx, 'database-url') ?? databaseUrlFrom(config);
    if (!url)
      throw new MamlError(
        'usage',
        'maml worker needs the PostgreSQL run database its gateways use: set DATABASE_URL or --database-url',
      );
    const name = stringOption(ctx, 'name') ?? hostname();
    if (!NAME.test(name))
      throw new MamlError(
        'usage',
        `--name must be 1 to 63 letters, digits, dots, dashes or underscores (got \`${name}\`)`,
      );
    const heads = parseHeads(stringOption(ctx, 'heads') ?? config.heads ?? 'quantum:2,ai:2');
    const total = heads.reduce((n, h) => n + h.count, 0);
    const concurrency = count(stringOption(ctx, 'concurrency'), 'concurrency', total, 256);
    const graceS = count(stringOption(ctx, 'grace'), 'grace', 30, 86_400);
    const keyringDir = resolveKeyringDir(stringOption(ctx, 'keyring'), process.env, ctx.cwd);
    const passphrase = await readPassphrase(stringOption(ctx, 'passphrase-file'), process.env, ctx.cwd);

    const db = await openDatabase({ url });
    const pool = new HeadPool({ heads });
    let boss: Awaited<ReturnType<typeof openBoss>> | undefined;
    try {
      await new RunStore(db).migrate();
      const same = (await listWorkers(db)).find((w) => w.name === name);
      if (
        same &&
        same.stoppedAt === null &&
        same.silentForS < 5 &&
        (same.host !== hostname() || same.pid !== process.pid)
      )
        throw new MamlError(
          'conflict',
          `a worker named ${name} is running on ${same.host} (pid ${same.pid}, heard from ${same.silentForS.toFixed(1)} s ago); give this one another --name`,
        );
      boss = await openBoss(url, {
        supervise: false,
        onError: (error) => ctx.out.error(`warning: queue: ${error.message}`),
      });
      await pool.start();
      const worker = new QueueWorker({
        name,
        url,
        db,
        boss,
        pool,
        signers: headSigners(keyringDir, passphrase, keyCreatedNotice(ctx.out, 'ticket signing key')),
        concurrency,
        allowUnsafeNoSandbox: flag(ctx, 'allow-unsafe-no-sandbox'),
        log: (line) => ctx.out.error(line),
      });
      await worker.start();
      const keys = await workerKeys(db, name);
      const untrusted = keys.filter((k) => !k.trustedBy).length;
      ctx.out.print(
        `maml worker ${name} ready: heads ${heads.map((h) => `${h.headClass}:${h.count}`).join(',')}, ${concurrency} blocks at once, ${keys.length} keys registered` +
          (untrusted > 0 ? ` (${untrusted} not trusted yet: maml workers trust ${name})` : ''),
      );
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      ctx.out.error(`draining: running blocks get ${graceS} s`);
      const drained = await worker.drain(graceS * 1000);
      ctx.out.error(`drained: ${drained.finished} finished, ${drained.handedBack} handed back`);
      return 0;
    } finally {
      await pool.close().catch(() => undefined);
      await boss?.stop({ graceful: false, wait: true, timeout: 5000 }).catch(() => undefined);
      await db.close().catch(() => undefined);
    }
  },
};
