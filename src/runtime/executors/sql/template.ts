/**
 * The data directory every run's SQL database starts from. PGlite's initdb takes seconds and close to 1 GiB of
 * memory, so it runs once, in the sandbox, with no user input, and its result (a gzip tarball of about 4 MiB) is
 * kept in this process and in the cache directory (the runtime's `cacheDir`, which the CLI sets to
 * $XDG_CACHE_HOME/maml, else ~/.cache/maml; ~/.cache/maml when the caller gives none), named after the
 * PGlite version and this recipe. Loading the tarball takes a second or two and stays within a block's memory limit.
 *
 * A cached tarball is used only when it is a regular file owned by this user that nobody else may write, in a
 * directory nobody else may write: it becomes the database SQL blocks see, so whoever could replace it could
 * change what those blocks read. It is never the run database and holds nothing of it.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { MamlError } from '../../../shared/index.js';
import { defaultCacheDir } from '../../db/state-dir.js';
import { pglitePackage, startRunner } from './runner-process.js';

/** Bump when the template's contents change (settings, databases dropped). */
const RECIPE = 'v1';

/** initdb's own footprint is far above a block's default memory limit; it runs no user code. */
const TEMPLATE_LIMITS = {
  memoryLimitBytes: 2 * 1024 * 1024 * 1024,
  pidsLimit: 64,
  scratchBytes: 64 * 1024 * 1024,
  outputLimitBytes: 1024 * 1024,
};
const TEMPLATE_TIMEOUT_MS = 5 * 60_000;
/** The tarball travels as one base64 line. */
const MAX_TEMPLATE_LINE = 64 * 1024 * 1024;

let memo: Promise<Uint8Array> | undefined;

export interface TemplateOptions {
  readonly unsafeNoSandbox: boolean;
  /** Directory of rebuildable caches; default ~/.cache/maml. */
  readonly cacheDir?: string | undefined;
}

function cacheDirOf(options: { readonly cacheDir?: string | undefined }): string {
  return options.cacheDir ?? defaultCacheDir({});
}

/** The template tarball: from this process, else the cache directory, else built now (and cached). */
export function sqlTemplate(options: TemplateOptions): Promise<Uint8Array> {
  memo ??= load(options).catch((error: unknown) => {
    memo = undefined;
    throw error;
  });
  return memo;
}

function cacheFile(dir: string): string {
  return join(dir, `sql-template-${RECIPE}-pglite-${pglitePackage().version}.tgz`);
}

/** Owned by this user and writable by nobody else: whoever could write it could change what SQL blocks read. */
function ownedAndPrivate(path: string, kind: 'file' | 'directory'): boolean {
  const uid = process.getuid?.();
  try {
    const stat = lstatSync(path);
    const isKind = kind === 'file' ? stat.isFile() : stat.isDirectory();
    return isKind && (uid === undefined || stat.uid === uid) && (stat.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

async function load(options: TemplateOptions): Promise<Uint8Array> {
  const dir = cacheDirOf(options);
  const file = cacheFile(dir);
  if (ownedAndPrivate(dir, 'directory') && ownedAndPrivate(file, 'file')) return readFileSync(file);
  const built = await build(options);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (ownedAndPrivate(dir, 'directory')) writeAtomic(file, built);
  } catch {
    // A cache that cannot be written only costs the next process another initdb.
  }
  return built;
}

/** Drops the template kept in memory and on disk (a cached one that PGlite could not load). */
export function forgetSqlTemplate(options: { readonly cacheDir?: string | undefined } = {}): void {
  memo = undefined;
  try {
    unlinkSync(cacheFile(cacheDirOf(options)));
  } catch {
    // nothing cached
  }
}

function writeAtomic(path: string, data: Uint8Array): void {
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, path);
  } catch (error) {
    // Another process cached the same template first: theirs is as good as ours.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(tmp);
  }
}

function build(options: { readonly unsafeNoSandbox: boolean }): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    let data: string | undefined;
    let fatal: string | undefined;
    const runner = startRunner({
      config: { mode: 'template' },
      limits: TEMPLATE_LIMITS,
      unsafeNoSandbox: options.unsafeNoSandbox,
      maxLineBytes: MAX_TEMPLATE_LINE,
      onMessage: (message) => {
        if (message.type === 'template') data = message.data;
        else if (message.type === 'fatal') fatal = message.message;
      },
    });
    const timer = setTimeout(() => runner.kill(), TEMPLATE_TIMEOUT_MS);
    void runner.ended.then((end) => {
      clearTimeout(timer);
      if (data !== undefined && end.exitCode === 0) return resolve(Buffer.from(data, 'base64'));
      const why =
        fatal ??
        end.spawnError ??
        (end.killed ? `it did not finish in ${TEMPLATE_TIMEOUT_MS / 1000} s` : undefined) ??
        (end.oomKilled ? 'it ran out of memory' : undefined) ??
        `it exited with ${end.signal ?? `status ${end.exitCode}`}: ${end.stderr.trim().split('\n').slice(-5).join('\n')}`;
      reject(new MamlError('internal', `could not create the database template for SQL blocks: ${why}`));
    });
  });
}
