/**
 * Atomic file writes: data goes to a temporary file in the same directory, is flushed, then moved into place,
 * so readers see the old file or the new one, never half of one. Without `overwrite`, the move is a hard link,
 * which fails if the target appeared in the meantime instead of replacing it.
 */
import { randomBytes } from 'node:crypto';
import { link, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { MamlError } from '../shared/index.js';

export interface AtomicWriteOptions {
  readonly mode?: number;
  readonly overwrite?: boolean;
}

export async function writeFileAtomic(
  path: string,
  data: Uint8Array | string,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(tmp, 'wx', options.mode ?? 0o644);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    if (options.overwrite === true) {
      await rename(tmp, path);
      return;
    }
    await link(tmp, path);
  } catch (error) {
    await unlink(tmp).catch(() => undefined);
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      throw new MamlError('conflict', `${path} already exists; pass --force to replace it`);
    throw new MamlError('io', `cannot write ${path}: ${(error as Error).message}`, { cause: error });
  }
  await unlink(tmp);
}
