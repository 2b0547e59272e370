/**
 * Reads a folder of known-good MAML documents into a scan baseline (src/scan/baseline.ts), for `maml scan
 * --baseline DIR` and the gateway's `scan.baseline` setting. Every `*.maml.md` / `*.maml.markdown` below the folder
 * is read (the same search as `maml validate DIR`); documents are named by their path relative to the folder.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { buildBaseline, type BaselineProfile } from '../scan/index.js';
import { MamlError } from '../shared/index.js';

/** At most this many documents (each is compared with every other once, to set the default threshold). */
export const MAX_BASELINE_DOCUMENTS = 5000;
const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;

async function walk(dir: string, out: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const path = join(dir, e.name);
    if (e.isDirectory()) await walk(path, out);
    else if (e.isFile() && /\.maml\.(?:md|markdown)$/i.test(e.name)) out.push(path);
    if (out.length > MAX_BASELINE_DOCUMENTS) return;
  }
}

export async function loadScanBaseline(dir: string, threshold?: number): Promise<BaselineProfile> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory())
    throw new MamlError(
      'not_found',
      `baseline ${dir}: not a directory; give a folder of known-good .maml.md documents`,
    );
  const paths: string[] = [];
  await walk(dir, paths);
  if (paths.length === 0)
    throw new MamlError('not_found', `baseline ${dir}: no *.maml.md or *.maml.markdown documents in this folder`);
  if (paths.length > MAX_BASELINE_DOCUMENTS)
    throw new MamlError(
      'usage',
      `baseline ${dir}: more than ${MAX_BASELINE_DOCUMENTS} documents; give a smaller folder of representative ones`,
    );
  const docs: { name: string; text: string }[] = [];
  for (const path of paths) {
    const size = (await stat(path)).size;
    if (size > MAX_DOCUMENT_BYTES) continue;
    docs.push({ name: relative(dir, path), text: await readFile(path, 'utf8') });
  }
  return buildBaseline(docs, threshold);
}
