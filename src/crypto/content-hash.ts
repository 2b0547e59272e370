/** The SHA-256 digests a ticket commits to: canonical JSON of inputs/outputs, and block source text. */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from './bytes.js';
import { canonicalBytes } from './jcs.js';

export const SHA256_HEX = /^[0-9a-f]{64}$/;

/** SHA-256 (hex) of the RFC 8785 canonical form of `value`. */
export function hashCanonical(value: unknown): string {
  return bytesToHex(sha256(canonicalBytes(value)));
}

/**
 * SHA-256 (hex) of a code block's source, UTF-8, with CRLF and lone CR turned into LF so a checkout with other
 * line endings still matches. Nothing else is normalised: any other edit changes the hash.
 */
export function hashCode(source: string): string {
  return bytesToHex(sha256(utf8ToBytes(source.replace(/\r\n?/g, '\n'))));
}

/** SHA-256 (hex) of `text` as UTF-8, exactly as given. */
export function hashText(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text)));
}
