/** Reads a UTF-8 input file for a command, mapping a missing file to `not_found` and other failures to `io`. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { MamlError } from '../shared/index.js';

export async function readText(cwd: string, file: string): Promise<string> {
  try {
    return await readFile(resolve(cwd, file), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new MamlError('not_found', `no such file: ${file}`);
    throw new MamlError('io', `cannot read ${file}: ${(error as Error).message}`);
  }
}
