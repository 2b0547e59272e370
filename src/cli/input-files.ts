/**
 * `maml run --input-file name=path`: a workflow input whose value is the text of a file (UTF-8), for data a
 * block cannot read itself from inside its sandbox (a CSV file, for example). Read here, on the caller's side,
 * so the input is recorded with the run like any other; bounded, so a wrong path cannot load a huge file.
 */
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { MamlError } from '../shared/index.js';

/** Largest file taken as an input. */
export const MAX_INPUT_FILE_BYTES = 64 * 1024 * 1024;

export async function readInputFiles(cwd: string, pairs: readonly string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0 || eq === pair.length - 1)
      throw new MamlError('usage', `--input-file ${pair}: write name=path (the input's name, then the file)`);
    const name = pair.slice(0, eq);
    const path = resolve(cwd, pair.slice(eq + 1));
    const size = (await stat(path).catch(() => undefined))?.size;
    if (size === undefined) throw new MamlError('usage', `--input-file ${name}: cannot read ${path}`);
    if (size > MAX_INPUT_FILE_BYTES)
      throw new MamlError(
        'too_large',
        `--input-file ${name}: ${path} has ${size} bytes, more than ${MAX_INPUT_FILE_BYTES}`,
      );
    const bytes = await readFile(path);
    try {
      out[name] = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new MamlError('usage', `--input-file ${name}: ${path} is not UTF-8 text`);
    }
  }
  return out;
}
