/** The key passphrase: from `--passphrase-file FILE` (first line) or $MAML_KEY_PASSPHRASE; absent otherwise. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { MamlError } from '../shared/index.js';

/** `file` is resolved against `cwd`. */
export async function readPassphrase(
  file: string | undefined,
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<string | undefined> {
  if (file !== undefined) {
    let text: string;
    try {
      text = await readFile(resolve(cwd, file), 'utf8');
    } catch (error) {
      throw new MamlError('io', `cannot read passphrase file ${file}: ${(error as Error).message}`);
    }
    const first = text.split(/\r?\n/)[0] ?? '';
    if (first === '') throw new MamlError('usage', `passphrase file ${file} is empty`);
    return first;
  }
  const value = env['MAML_KEY_PASSPHRASE'];
  return value !== undefined && value !== '' ? value : undefined;
}
