/**
 * `maml workers`: the workers of the run database's queue (live, silent or stopped, their heads, load and last
 * heartbeat), and `maml workers trust|untrust` to endorse a worker's ticket keys with the operator's admission key.
 */
import { readPassphrase, resolveKeyringDir } from '../../keyring/index.js';
import { RunStore, openDatabase } from '../../runtime/index.js';
import {
  admissionKey,
  endorse,
  listWorkers,
  storeEndorsement,
  workerKeys,
  type WorkerRow,
} from '../../runtime/queue/index.js';
import { MamlError } from '../../shared/index.js';
import type { Command } from '../command.js';
import { keyCreatedNotice } from '../key-notice.js';
import { flag, stringOption } from '../options.js';
import { databaseUrlFrom, loadProjectConfig, reportConfigWarnings } from '../project-config.js';
import { terminalJson, terminalText } from '../terminal-text.js';

/** A worker heard from within this many seconds (and not stopped) is live. */
const LIVE_WITHIN_S = 10;

function state(w: WorkerRow): 'live' | 'silent' | 'stopped' {
  return w.stoppedAt !== null ? 'stopped' : w.silentForS <= LIVE_WITHIN_S ? 'live' : 'silent';
}

export const workersCommand: Command = {
  name: 'workers',
  summary: 'list the queue’s workers, or trust a worker’s ticket keys',
  help: `Usage: maml workers [--all] [--json] [--database-url URL]
       maml workers trust <worker name or key id> [--keyring DIR] [--passphrase-file F]
       maml workers untrust <worker name or key id>

Without a subcommand: the workers registered in the PostgreSQL run database, with their
state (live: heard from in the last ${LIVE_WITHIN_S} s; silent; stopped), heads, load (blocks
running / at most), last heartbeat and how many of their keys are trusted. Stopped and silent
workers are listed with --all.

trust endorses the worker's registered ticket keys (or the one key) with this keyring's
worker-admission key (created on first use): gateways holding that key accept tickets signed
with endorsed keys only (docs/durable-runs.md, trust model). Check the key ids first: they
are what the worker printed when it started (maml keys list on the worker's machine).
untrust removes the endorsement.

Options:
  --json                print {"workers":[{"name","host","pid","state","heads","load",
                        "concurrency","startedAt","heartbeatAt","silentForS","keys","trustedKeys"}]}
  --all                 list stopped and silent workers too
  --database-url <url>  PostgreSQL run database (default DATABASE_URL or database.url in .maml.yaml)
  --keyring <dir>       keyring with the worker-admission key (default $MAML_KEYRING)
  --passphrase-file <f> passphrase of sealed keys (default $MAML_KEY_PASSPHRASE)`,
  options: {
    json: { type: 'boolean' },
    all: { type: 'boolean' },
    'database-url': { type: 'string' },
    keyring: { type: 'string' },
    'passphrase-file': { type: 'string' },
  },
  async run(ctx) {
    const [sub, target, ...extra] = ctx.positionals;
    if (extra.length > 0 || (sub !== undefined && sub !== 'trust' && sub !== 'untrust'))
      throw new MamlError('usage', 'use maml workers [--json], maml workers trust NAME or maml workers untrust NAME');
    if (sub !== undefined && target === undefined)
      throw new MamlError('usage', `missing the worker name or key id: maml workers ${sub} NAME`);
    const config = loadProjectConfig(ctx.cwd);
    reportConfigWarnings(config, (text) => ctx.out.error(text));
    const url = stringOption(ctx, 'database-url') ?? databaseUrlFrom(config);
    if (!url)
      throw new MamlError('usage', 'workers live in the PostgreSQL run database: set DATABASE_URL or --database-url');
    const db = await openDatabase({ url });
    try {
      await new RunStore(db).migrate();
      if (sub === 'trust' || sub === 'untrust') {
        const keys = await workerKeys(db, target);
        if (keys.length === 0)
          throw new MamlError('not_found', `no worker or key \`${target}\` is registered (see maml workers --all)`);
        if (sub === 'untrust') {
          for (const key of keys) await storeEndorsement(db, key.keyId, null, null);
          ctx.out.print(`untrusted ${keys.length} key${keys.length === 1 ? '' : 's'} of ${target}`);
          return 0;
        }
        const keyringDir = resolveKeyringDir(stringOption(ctx, 'keyring'), process.env, ctx.cwd);
        const passphrase = await readPassphrase(stringOption(ctx, 'passphrase-file'), process.env, ctx.cwd);
        const admission = await admissionKey(keyringDir, passphrase, keyCreatedNotice(ctx.out, 'worker admission key'));
        for (const key of keys) {
          await storeEndorsement(db, key.keyId, endorse(key, admission), 'maml workers trust');
          ctx.out.print(`trusted ${key.keyId} (${terminalText(key.head)})`);
        }
        return 0;
      }
      const all = flag(ctx, 'all');
      const workers = (await listWorkers(db)).filter((w) => all || state(w) === 'live');
      const keys = await workerKeys(db);
      const rows = workers.map((w) => {
        const own = keys.filter((k) => k.worker === w.name);
        return { ...w, state: state(w), keys: own.length, trustedKeys: own.filter((k) => k.trustedBy !== null).length };
      });
      if (flag(ctx, 'json')) {
        ctx.out.print(terminalJson({ workers: rows }, 2));
        return 0;
      }
      if (rows.length === 0) {
        ctx.out.print(
          all ? 'no workers registered (maml worker)' : 'no live workers (maml worker; --all lists the others)',
        );
        return 0;
      }
      for (const w of rows) {
        const heads = w.heads.map((h) => `${h.name.slice(w.name.length + 1)}${h.busy ? '*' : ''}`).join(' ');
        ctx.out.print(
          `${terminalText(w.name).padEnd(20)} ${w.state.padEnd(7)} ${`${w.load}/${w.concurrency}`.padStart(5)}  heard ${w.silentForS.toFixed(1)} s ago  keys ${w.trustedKeys}/${w.keys} trusted  ${terminalText(w.host)}:${w.pid}  ${terminalText(heads)}`,
        );
      }
      return 0;
    } finally {
      await db.close();
    }
  },
};
