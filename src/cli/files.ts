/**
 * Finding MAML documents on disk: files given directly are read whatever their name; directories are searched
 * recursively for `*.maml.md` and `*.maml.markdown` (skipping node_modules and dot-directories). Other files met
 * in a directory are counted, so a command can say what it did not look at.
 */
import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { MamlError } from '../shared/errors.js';

export const MAML_EXTENSIONS = ['.maml.md', '.maml.markdown'] as const;

export function isMamlFile(name: string): boolean {
  const lower = name.toLowerCase();
  return MAML_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

export interface Expansion {
  readonly paths: string[];
  /** Files in the searched directories that are not MAML documents (hidden files and directories not counted). */
  readonly skipped: number;
  /** How many of the skipped files have each extension (`.md`, `.txt`, `(none)`). */
  readonly skippedByExtension: ReadonlyMap<string, number>;
}

async function walk(dir: string, out: string[], skipped: Map<string, number>): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await walk(path, out, skipped);
    else if (entry.isFile() && isMamlFile(entry.name)) out.push(path);
    else if (entry.isFile()) {
      const ext = extname(entry.name).toLowerCase() || '(none)';
      skipped.set(ext, (skipped.get(ext) ?? 0) + 1);
    }
  }
}

/** The documents named by `paths`, with what the directory searches passed over. */
export async function expandPathsReport(paths: readonly string[]): Promise<Expansion> {
  const out: string[] = [];
  const skipped = new Map<string, number>();
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
      const here = new Map<string, number>();
      await walk(path, out, here);
      if (out.length === before) {
        const others = [...here.values()].reduce((a, b) => a + b, 0);
        throw new MamlError(
          'not_found',
          `${path}: no *.maml.md or *.maml.markdown files in this directory${others > 0 ? ` (${describeSkipped(others, here)})` : ''}; give a file by name to check it whatever its name.`,
        );
      }
      for (const [ext, n] of here) skipped.set(ext, (skipped.get(ext) ?? 0) + n);
    } else out.push(path);
  }
  return { paths: out, skipped: [...skipped.values()].reduce((a, b) => a + b, 0), skippedByExtension: skipped };
}

export async function expandPaths(paths: readonly string[]): Promise<string[]> {
  return (await expandPathsReport(paths)).paths;
}

/** "3 other files: 2 .md, 1 .txt" */
export function describeSkipped(count: number, byExtension: ReadonlyMap<string, number>): string {
  const kinds = [...byExtension]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([ext, n]) => `${n} ${ext}`)
    .join(', ');
  return `${count} other ${count === 1 ? 'file' : 'files'}: ${kinds}`;
}
