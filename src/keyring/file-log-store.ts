/**
 * A `LogStore` in a JSON-lines file (one `{"entry": base64, "leafHash": hex}` per line), for the CLI and small
 * deployments. Appends are serialised and flushed; the file is read once on open. It is not trusted: run
 * `auditVerify` to check it.
 */
import { open, readFile } from 'node:fs/promises';
import { bytesToHex, fromBase64, fromHex, toBase64, type LogStore, type StoredLeaf } from '../crypto/index.js';
import { MamlError } from '../shared/index.js';

export class FileLogStore implements LogStore {
  private tail: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly path: string,
    private readonly rows: StoredLeaf[],
  ) {}

  static async open(path: string): Promise<FileLogStore> {
    let text = '';
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
        throw new MamlError('io', `cannot read audit log ${path}: ${(error as Error).message}`);
    }
    const rows: StoredLeaf[] = [];
    text.split('\n').forEach((line, i) => {
      if (line.trim() === '') return;
      let row: { entry?: unknown; leafHash?: unknown };
      try {
        row = JSON.parse(line) as typeof row;
      } catch {
        throw new MamlError('crypto', `${path}:${i + 1}: audit log line is not JSON`);
      }
      const entry = typeof row.entry === 'string' ? fromBase64(row.entry) : undefined;
      const leafHash = typeof row.leafHash === 'string' ? fromHex(row.leafHash) : undefined;
      if (!entry || !leafHash) throw new MamlError('crypto', `${path}:${i + 1}: audit log line is malformed`);
      rows.push({ entry, leafHash });
    });
    return new FileLogStore(path, rows);
  }

  append(leaf: StoredLeaf): Promise<number> {
    const run = this.tail.then(async () => {
      const line = `${JSON.stringify({ entry: toBase64(leaf.entry), leafHash: bytesToHex(leaf.leafHash) })}\n`;
      const handle = await open(this.path, 'a', 0o644);
      try {
        await handle.appendFile(line);
        await handle.sync();
      } finally {
        await handle.close();
      }
      this.rows.push({ entry: leaf.entry.slice(), leafHash: leaf.leafHash.slice() });
      return this.rows.length - 1;
    });
    this.tail = run.catch(() => undefined);
    return run;
  }

  get(index: number): Promise<StoredLeaf | undefined> {
    const row = this.rows[index];
    return Promise.resolve(row ? { entry: row.entry.slice(), leafHash: row.leafHash.slice() } : undefined);
  }

  size(): Promise<number> {
    return Promise.resolve(this.rows.length);
  }
}
