/**
 * Replaces a file's contents atomically: write a temporary file in the same directory, flush it, then rename it
 * over the target. A crash leaves either the old file or the new one, never half of either. The file's mode is kept.
 */
import { open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const mode = (await stat(path).catch(() => undefined))?.mode;
  const handle = await open(temp, 'wx', mode === undefined ? 0o644 : mode & 0o777);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await handle.close();
  try {
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}
