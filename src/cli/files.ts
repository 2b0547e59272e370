/**
 * Finding MAML documents on disk: files given directly are read whatever their name; directories are searched
 * recursively for `*.maml.md` and `*.maml.markdown` (skipping node_modules and dot-directories).
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { MamlError } from '../shared/errors.js';

export const MAML_EXTENSIONS = ['.maml.md', '.maml.markdown'] as const;

export function isMamlFile(name: string): boolean {
  const lower = name.toLowerCase();
  return MAML_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

async function walk(dir: string, out: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await walk(path, out);
    else if (entry.isFile() && isMamlFile(entry.name)) out.push(path);
  }
}

export async function expandPaths(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const path of paths) {
    if (path === '-') {
      out.push(path);
      continue;
    }
    let info;
    try {
      info = await stat(path);
    } catch {
      throw new MamlError('not_found', `${path}: no such file or directory.`);
    }
    if (info.isDirectory()) {
      const before = out.length;
      await walk(path, out);
      if (out.length === before) throw new MamlError('not_found', `${path}: no *.maml.md files in this directory.`);
    } else out.push(path);
  }
  return out;
}
