/** Reads a UTF-8 input file for a command (relative to the command's directory; `-` is standard input). */
import { resolve } from 'node:path';
import { readBytes } from './read-document.js';

export async function readText(cwd: string, file: string): Promise<string> {
  return new TextDecoder().decode(await readBytes(file === '-' ? file : resolve(cwd, file)));
}
