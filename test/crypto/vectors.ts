/**
 * Loads the external test vectors under test/vectors/ (see its README for provenance). Every loader is paired
 * with a guard in the tests that fails when a source yields zero cases, so a moved file cannot pass silently.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

/** The repository's test/vectors folder, found from the compiled test's location (.build/test/crypto/). */
export const VECTORS = fileURLToPath(new URL('../../../test/vectors/', import.meta.url));

export interface JsonFile {
  readonly path: string;
  readonly data: unknown;
}

/** Every *.json file under `dir`, recursively, sorted by path. */
export function jsonFilesUnder(dir: string): JsonFile[] {
  const out: JsonFile[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.json')) out.push({ path, data: JSON.parse(readFileSync(path, 'utf8')) as unknown });
    }
  };
  walk(dir);
  return out;
}

/** Immediate subdirectories of `dir`. */
export function subdirectories(dir: string): string[] {
  return readdirSync(dir)
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isDirectory());
}

export interface AcvpGroup {
  readonly tgId: number;
  readonly tests: readonly Record<string, unknown>[];
  readonly [key: string]: unknown;
}

/** An ACVP internalProjection file (gzipped JSON): the prompt and the expected results in one document. */
export function loadAcvp(name: string): AcvpGroup[] {
  const raw = gunzipSync(readFileSync(join(VECTORS, 'acvp', name))).toString('utf8');
  const doc = JSON.parse(raw) as { testGroups?: AcvpGroup[] };
  return doc.testGroups ?? [];
}

export function hex(value: unknown): Uint8Array {
  if (typeof value !== 'string') throw new TypeError('expected a hex string in the vector');
  return Uint8Array.from(value.match(/../g) ?? [], (b) => parseInt(b, 16));
}

/** Standard base64 as the Merkle vectors use it, lenient like Go's decoder (short or empty strings allowed). */
export function b64(value: unknown): Uint8Array {
  if (value === null || value === undefined) return new Uint8Array(0);
  if (typeof value !== 'string') throw new TypeError('expected a base64 string in the vector');
  return new Uint8Array(Buffer.from(value, 'base64'));
}
