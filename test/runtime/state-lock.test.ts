// The embedded run database's state directory: one process at a time (the others refused with the holder named),
// stale locks taken over safely, the lock released on exit and on signals, and the files private.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MamlError } from '../../src/shared/index.js';
import { lockDataDir, openDatabase } from '../../src/runtime/index.js';
import { startServeChild } from '../../src/server/load/serve-child.js';
import { CLI } from '../helpers/paths.js';
import { NEEDS_BWRAP } from '../helpers/runtime-fixture.js';
import { runCli } from '../helpers/run-cli.js';

const HOLDER = fileURLToPath(new URL('./lock/db-holder.js', import.meta.url));
const CONTENDER = fileURLToPath(new URL('./lock/contender.js', import.meta.url));
const SLOW = { timeout: 240_000 };

// One state directory for the tests that need a real database: creating one takes seconds.
const stateDir = join(mkdtempSync(join(tmpdir(), 'maml-lock-')), 'state');
const dataDir = join(stateDir, 'db');
const lockFile = `${dataDir}.lock`;
const env = { MAML_STATE_DIR: stateDir, DATABASE_URL: '' };

/** Starts a process holding the database; resolves once it is open (`idle`) or has stored its first rows (`write`). */
function startHolder(mode: 'idle' | 'write'): Promise<ChildProcess> {
  const child = spawn(process.execPath, [HOLDER, dataDir, mode], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DATABASE_URL: '' },
  });
  let err = '';
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const ready = mode === 'write' ? 'wrote' : 'open';
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes(ready)) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`the holder exited (${code}): ${err}`)));
  });
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** A fake lock as another process would have written it. */
function writeLock(dir: string, holder: Record<string, unknown>): string {
  const path = join(dir, 'db.lock');
  writeFileSync(
    path,
    JSON.stringify({ host: hostname(), command: 'maml serve', since: '2026-01-01T00:00:00Z', nonce: 'x', ...holder }),
  );
  return path;
}

function startTimeOf(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
}

test(
  'maml serve holds the state directory: maml run and maml runs are refused fast, the server goes on',
  SLOW,
  async (t) => {
    const { url, child } = await startServeChild(CLI, stateDir, ['--heads', 'quantum:1']);
    t.after(() => child.kill('SIGKILL'));
    const holder = JSON.parse(readFileSync(lockFile, 'utf8')) as { pid: number; command: string };
    assert.equal(holder.pid, child.pid);
    assert.match(holder.command, /^maml serve/);

    const list = runCli(['runs', 'list'], { env });
    assert.equal(list.code, 1, list.stderr);
    assert.match(list.stderr, /conflict: the state directory .* is in use by another maml process/);
    assert.ok(list.stderr.includes(`pid ${child.pid}`), list.stderr);
    assert.match(list.stderr, /maml serve/);
    assert.match(list.stderr, /DATABASE_URL/);
    assert.match(list.stderr, /--state-dir/);
    const doc = join(mkdtempSync(join(tmpdir(), 'maml-lock-doc-')), 'bell.maml.md');
    writeFileSync(
      doc,
      '---\nmaml_version: "1.0"\nid: "urn:uuid:11111111-2222-4333-8444-555555555555"\ntype: workflow\norigin: "agent://test"\n---\n\n## Intent\n\nT.\n\n## Code_Blocks\n\n```qasm {#q}\nOPENQASM 3.0;\nqubit q;\nbit c;\nc = measure q;\n```\n',
    );
    const run = runCli(['run', doc, '--no-write'], { env });
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /in use by another maml process/);

    // The server was not disturbed: it still records runs.
    const submitted = await fetch(`${url}/v1/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ document: readFileSync(doc, 'utf8') }),
    });
    assert.ok(submitted.status < 300, String(submitted.status));
    const { id } = (await submitted.json()) as { id: string };
    let status = '';
    for (let i = 0; i < 100 && !['succeeded', 'failed'].includes(status); i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      status = ((await (await fetch(`${url}/v1/runs/${id}`)).json()) as { status: string }).status;
    }
    assert.equal(status, 'succeeded');

    // Stopped with SIGTERM, it closes the database and removes its lock; the next process opens it.
    child.kill('SIGTERM');
    await exited(child);
    assert.equal(existsSync(lockFile), false);
    const after = runCli(['runs', 'list', '--json'], { env });
    assert.equal(after.code, 0, after.stderr);
    assert.ok(after.stdout.includes(id));
  },
);

test('a lock is released on SIGTERM and SIGINT when the command has no handler of its own', SLOW, async () => {
  for (const [signal, code] of [
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const) {
    const holder = await startHolder('idle');
    assert.equal(existsSync(lockFile), true);
    holder.kill(signal);
    assert.equal((await exited(holder)).code, code);
    assert.equal(existsSync(lockFile), false, `lock left after ${signal}`);
  }
});

test(
  'after kill -9 mid-write the lock is stale: the next process takes it over and the data is there',
  SLOW,
  async () => {
    // Killed while it writes, after its first rows were stored.
    const holder = await startHolder('write');
    holder.kill('SIGKILL');
    await exited(holder);
    assert.equal(existsSync(lockFile), true, 'kill -9 leaves the lock behind');
    const db = await openDatabase({ url: '', dataDir });
    try {
      const rows = (await db.query('SELECT count(*)::int AS n FROM filler', [])).rows;
      assert.ok(Number(rows[0]?.['n']) > 0);
      // While this process holds it, a second open in the same process is refused too.
      await assert.rejects(openDatabase({ url: '', dataDir }), (error: unknown) => {
        assert.ok(error instanceof MamlError);
        assert.equal(error.code, 'conflict');
        assert.ok(error.message.includes(`pid ${process.pid}`));
        return true;
      });
    } finally {
      await db.close();
    }
    assert.equal(existsSync(lockFile), false);
  },
);

test(
  'maml run killed with -9 mid-run: the next command opens the database and fails that run',
  { ...SLOW, skip: NEEDS_BWRAP },
  async () => {
    const doc = join(mkdtempSync(join(tmpdir(), 'maml-lock-doc-')), 'slow.maml.md');
    writeFileSync(
      doc,
      '---\nmaml_version: "1.0"\nid: "urn:uuid:11111111-2222-4333-8444-555555555555"\ntype: workflow\norigin: "agent://test"\n---\n\n## Intent\n\nT.\n\n## Code_Blocks\n\n```sh {#slow timeout=2m}\nsleep 60\n```\n',
    );
    const child = spawn(process.execPath, [CLI, 'run', doc, '--no-write', '--heads', 'ai:1'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env, MAML_KEYRING: join(stateDir, 'keyring'), NO_COLOR: '1' },
    });
    const runId = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const id = /run ([0-9a-f-]{36}) started/.exec(out)?.[1];
        if (id && out.includes('slow started')) resolve(id);
      });
      child.once('exit', (code) => reject(new Error(`maml run exited (${code}) before its block started: ${out}`)));
    });
    child.kill('SIGKILL');
    await exited(child);
    const show = runCli(['runs', 'show', runId, '--json'], { env });
    assert.equal(show.code, 0, show.stderr);
    const { run, events } = JSON.parse(show.stdout) as {
      run: { status: string; error: { message: string } };
      events: { type: string }[];
    };
    assert.equal(run.status, 'failed');
    assert.match(run.error.message, /^interrupted: /);
    assert.equal(events.at(-1)?.type, 'run_finished');
  },
);

test('the state directory and every database file are private, existing loose modes included', SLOW, async () => {
  mkdirSync(dataDir, { recursive: true });
  chmodSync(stateDir, 0o755);
  const loosen = (path: string): void => {
    const stat = lstatSync(path);
    chmodSync(path, stat.isDirectory() ? 0o777 : 0o666);
    if (stat.isDirectory()) for (const name of readdirSync(path)) loosen(join(path, name));
  };
  loosen(dataDir);
  const check = (): void => {
    assert.equal(lstatSync(stateDir).mode & 0o777, 0o700);
    const walk = (path: string): void => {
      const stat = lstatSync(path);
      assert.equal(stat.mode & 0o777, stat.isDirectory() ? 0o700 : 0o600, path);
      if (stat.isDirectory()) for (const name of readdirSync(path)) walk(join(path, name));
    };
    walk(dataDir);
  };
  const db = await openDatabase({ url: '', dataDir });
  try {
    check();
    assert.equal(lstatSync(lockFile).mode & 0o777, 0o600);
    await db.exec('CREATE TABLE IF NOT EXISTS made_while_open (v int); INSERT INTO made_while_open VALUES (1)');
  } finally {
    await db.close();
  }
  check();
});

test('a lock whose pid now belongs to another process, or from before the last boot, is stale', () => {
  const dir = mkdtempSync(join(tmpdir(), 'maml-lock-unit-'));
  const data = join(dir, 'db');
  writeLock(dir, { pid: process.pid, startTime: '1' });
  lockDataDir(data).release();
  writeLock(dir, { pid: process.pid, startTime: startTimeOf(process.pid), bootId: 'an-earlier-boot' });
  lockDataDir(data).release();
  writeFileSync(join(dir, 'db.lock'), 'not a lock of ours');
  lockDataDir(data).release();
  // A breaker that died inside its guard left the guard behind: the guard is broken one level down.
  const stale = writeLock(dir, { pid: 999_999_999 });
  const fingerprint = createHash('sha256').update(readFileSync(stale, 'utf8')).digest('hex').slice(0, 16);
  const guard = `${stale}.break-${fingerprint}`;
  // While a live process holds the guard, it is breaking that lock: others wait, then give up.
  writeFileSync(guard, JSON.stringify({ pid: process.pid, startTime: startTimeOf(process.pid), host: hostname() }));
  assert.throws(() => lockDataDir(data), /is being taken over from a process that died \(pid 999999999/);
  writeFileSync(guard, JSON.stringify({ pid: 999_999_998, host: hostname(), nonce: 'y' }));
  lockDataDir(data).release();
  assert.deepEqual(
    readdirSync(dir).filter((name) => name.includes('db.lock')),
    [],
  );
});

test('a live holder, here or on another host, keeps its lock', () => {
  const dir = mkdtempSync(join(tmpdir(), 'maml-lock-unit-'));
  const data = join(dir, 'db');
  const refused = (): void =>
    assert.throws(
      () => lockDataDir(data),
      (error: unknown) => error instanceof MamlError && error.code === 'conflict',
    );
  const path = writeLock(dir, { pid: process.pid, startTime: startTimeOf(process.pid) });
  refused();
  writeLock(dir, { pid: 999_999_999, host: 'another-host' });
  refused();
  assert.equal(JSON.parse(readFileSync(path, 'utf8')).host, 'another-host', 'a refusal changes nothing');
  const ours = join(mkdtempSync(join(tmpdir(), 'maml-lock-unit-')), 'db');
  const lock = lockDataDir(ours);
  assert.throws(() => lockDataDir(ours), /in use by another maml process: pid \d+/);
  lock.release();
  lockDataDir(ours).release();
});

test('processes racing for a lock, free or stale, get it exactly once', SLOW, async () => {
  for (const stale of [false, true]) {
    const dir = mkdtempSync(join(tmpdir(), 'maml-lock-race-'));
    // A dead holder: pid 999999999 does not exist.
    if (stale) writeLock(dir, { pid: 999_999_999 });
    // Node starts in well under 4 s even on a busy machine, so all eight try at the same moment.
    const startAt = Date.now() + 4000;
    const children = Array.from({ length: 8 }, () =>
      spawn(process.execPath, [CONTENDER, join(dir, 'db'), String(startAt)], { stdio: ['ignore', 'pipe', 'inherit'] }),
    );
    // The one that got it keeps it until every other has answered, so a second `held` is two holders at once.
    const answers = await Promise.all(
      children.map(
        (child) =>
          new Promise<string>((resolve) => {
            let out = '';
            child.stdout?.on('data', (chunk: Buffer) => {
              out += chunk.toString();
              if (out.includes('\n')) resolve(out.trim());
            });
            child.once('exit', () => resolve(out.trim()));
          }),
      ),
    );
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map(exited));
    assert.equal(answers.filter((a) => a === 'held').length, 1, `${stale ? 'stale' : 'free'}: ${answers.join(' ')}`);
    assert.equal(answers.filter((a) => a === 'refused').length, 7);
    assert.deepEqual(
      readdirSync(dir).filter((name) => name.includes('db.lock')),
      [],
      'no lock, guard or temporary file is left behind',
    );
  }
});
