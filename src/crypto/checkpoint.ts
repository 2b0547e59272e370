/** C2SP tlog-checkpoint note text: origin, tree size, base64 root hash, optional extension lines. */
import { fromBase64, toBase64 } from './bytes.js';
import { HASH_SIZE } from './merkle.js';

export interface Checkpoint {
  readonly origin: string;
  readonly size: number;
  readonly rootHash: Uint8Array;
  readonly extensions: readonly string[];
}

export function formatCheckpoint(cp: Checkpoint): string {
  if (cp.origin === '' || cp.origin.includes('\n'))
    throw new RangeError('checkpoint origin must be one non-empty line');
  if (!Number.isSafeInteger(cp.size) || cp.size < 0) throw new RangeError('checkpoint size must be a natural number');
  if (cp.extensions.some((e) => e === '' || e.includes('\n')))
    throw new RangeError('extension lines must be non-empty');
  return [cp.origin, String(cp.size), toBase64(cp.rootHash), ...cp.extensions].map((l) => `${l}\n`).join('');
}

/** Parses checkpoint note text (already verified); `undefined` when it does not follow tlog-checkpoint §Note text. */
export function parseCheckpoint(text: string): Checkpoint | undefined {
  if (!text.endsWith('\n')) return undefined;
  const lines = text.slice(0, -1).split('\n');
  const [origin, sizeText, rootText, ...extensions] = lines;
  if (!origin || sizeText === undefined || rootText === undefined) return undefined;
  if (!/^(0|[1-9][0-9]*)$/.test(sizeText)) return undefined;
  const size = Number(sizeText);
  const rootHash = fromBase64(rootText);
  if (!Number.isSafeInteger(size) || !rootHash || rootHash.length !== HASH_SIZE) return undefined;
  if (extensions.some((e) => e === '')) return undefined;
  return { origin, size, rootHash, extensions };
}
