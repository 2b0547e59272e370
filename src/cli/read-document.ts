/** Reads a document from disk (or `-` for standard input) into the parsed model, with the size limit applied. */
import { readFile, stat } from 'node:fs/promises';
import { DEFAULT_LIMITS, oversizeDocument, parseBytes, type MamlDocument, type ParseLimits } from '../format/index.js';
import { MamlError } from '../shared/errors.js';

export async function readBytes(path: string): Promise<Uint8Array> {
  if (path === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new MamlError('not_found', `${path}: no such file.`);
    if (code === 'EISDIR') throw new MamlError('usage', `${path} is a directory; give a .maml.md file.`);
    throw new MamlError('io', `${path}: cannot read (${code ?? String(error)}).`);
  }
}

export async function readDocument(path: string, limits: Partial<ParseLimits> = {}): Promise<MamlDocument> {
  const maxBytes = limits.maxBytes ?? DEFAULT_LIMITS.maxBytes;
  if (path !== '-') {
    // Refuse before reading a huge file into memory.
    const size = (await stat(path).catch(() => undefined))?.size;
    if (size !== undefined && size > maxBytes) return oversizeDocument(maxBytes);
  }
  return parseBytes(await readBytes(path), { limits });
}
