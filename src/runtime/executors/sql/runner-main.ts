/**
 * The SQL runner: the process a run's SQL blocks execute in, inside the sandbox, holding an in-memory PGlite
 * database that starts from the template data directory and is thrown away when the process ends. Nothing of the
 * run database is reachable from here: not its connection, not its files.
 *
 * Started as `node runner-main.js <config JSON>` (see `RunnerConfig`). Mode `template` runs initdb, writes the
 * result as a `template` message and exits; mode `serve` loads the template, says `ready`, then answers one `run`
 * request per stdin line, in order, until stdin closes. Only Node built-ins are imported at run time: the sandbox
 * binds this file and PGlite's package, nothing else of the project.
 */
import { readFileSync, writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { PGlite } from '@electric-sql/pglite';
import type * as PGliteModule from '@electric-sql/pglite';
import type { FromSqlRunner } from './messages-from-runner.js';
import type { ToSqlRunner } from './messages-to-runner.js';

export type RunnerConfig =
  | { readonly mode: 'template'; readonly pglite: string }
  | {
      readonly mode: 'serve';
      /** File URL of PGlite's ES module entry. */
      readonly pglite: string;
      /** The template tarball to load, base64-encoded. */
      readonly template: string;
      /** Server settings (`name=value`), e.g. temp_file_limit. */
      readonly settings: readonly string[];
    };

type Rows = Record<string, unknown>[];

const OUTPUTS_FD = 3;

function send(message: FromSqlRunner): void {
  const data = Buffer.from(`${JSON.stringify(message)}\n`);
  for (let off = 0; off < data.length;) off += writeSync(OUTPUTS_FD, data, off);
}

/** What every other language would see: bigint as a decimal string, bytea in PostgreSQL's hex text form. */
function plain(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return `\\x${Buffer.from(value).toString('hex')}`;
  return value;
}

async function runOne(db: PGlite, request: ToSqlRunner): Promise<void> {
  let rows: Rows = [];
  try {
    if (request.params === null) {
      for (const result of await db.exec(request.text)) if (result.rows.length > 0) rows = result.rows as Rows;
    } else rows = (await db.query<Record<string, unknown>>(request.text, [...request.params])).rows;
  } catch (error) {
    const e = error as { message?: unknown; code?: unknown };
    send({
      type: 'sql_error',
      id: request.id,
      message: typeof e.message === 'string' ? e.message : String(error),
      ...(typeof e.code === 'string' ? { sqlState: e.code } : {}),
    });
    return;
  }
  // Measured before sending, so a huge result is refused here rather than pushed down the pipe.
  const json = JSON.stringify(rows, plain);
  const bytes = Buffer.byteLength(json);
  if (bytes > request.maxBytes) send({ type: 'too_large', id: request.id, bytes });
  else send({ type: 'rows', id: request.id, rows: JSON.parse(json) as Rows });
}

async function main(config: RunnerConfig): Promise<void> {
  const { PGlite } = (await import(config.pglite)) as typeof PGliteModule;
  if (config.mode === 'template') {
    const db = new PGlite();
    await db.waitReady;
    // template0 only serves CREATE DATABASE … TEMPLATE template0; without it every run loads a third less.
    await db.query("UPDATE pg_database SET datistemplate = false WHERE datname = 'template0'");
    await db.query('DROP DATABASE template0');
    await db.query('CHECKPOINT');
    const dump = await db.dumpDataDir('gzip');
    send({ type: 'template', data: Buffer.from(await dump.arrayBuffer()).toString('base64') });
    await db.close();
    return;
  }
  const db = new PGlite({
    loadDataDir: new Blob([Buffer.from(readFileSync(config.template, 'utf8'), 'base64')]),
    postgresqlconf: [...config.settings],
  });
  await db.waitReady;
  send({ type: 'ready' });
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    if (line.trim() === '') continue;
    const message = JSON.parse(line) as ToSqlRunner;
    switch (message.type) {
      case 'run':
        await runOne(db, message);
        break;
      default: {
        const unknown: never = message.type;
        throw new Error(`unknown message ${JSON.stringify(unknown)}`);
      }
    }
  }
  await db.close();
}

try {
  await main(JSON.parse(process.argv[2] ?? '') as RunnerConfig);
  process.exit(0);
} catch (error) {
  send({ type: 'fatal', message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
}
