/**
 * Turns raw bytes into document text. Invalid UTF-8 does not throw: it is reported with the byte's position and
 * decoded with U+FFFD so the rest of the document can still be checked.
 */
import { diagnostic, type Diagnostic } from '../shared/diagnostic.js';
import { LineIndex } from './line-index.js';

export interface DecodeResult {
  readonly text: string;
  readonly diagnostics: readonly Diagnostic[];
}

/** Index of the first byte that is not part of a well-formed UTF-8 sequence, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i] ?? 0;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    // Overlong forms, UTF-16 surrogates and values past U+10FFFF are not UTF-8 (RFC 3629 §3).
    if (cp < min || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) return i;
    i += need + 1;
  }
  return -1;
}

export function decodeBytes(bytes: Uint8Array): DecodeResult {
  const text = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(bytes);
  const bad = firstInvalidUtf8(bytes);
  if (bad === -1) return { text, diagnostics: [] };
  // Locate the replacement character that stands for the bad byte: decode the valid prefix.
  const prefix = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(bytes.subarray(0, bad));
  const place = new LineIndex(text).point(prefix.length);
  return {
    text,
    diagnostics: [
      diagnostic({
        code: 'invalid_utf8',
        severity: 'error',
        message: `Invalid UTF-8 at byte ${bad} (0x${(bytes[bad] ?? 0).toString(16).padStart(2, '0')}). Save the file as UTF-8.`,
        place,
        ruleId: 'encoding',
        source: 'maml',
      }),
    ],
  };
}
