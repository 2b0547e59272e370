/** Key identifiers: the first 16 bytes of SHA-256 over the public key bytes, as 32 lowercase hex digits. */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from './bytes.js';

export const KEY_ID_PATTERN = /^[0-9a-f]{32}$/;

export function publicKeyId(publicKey: Uint8Array): string {
  return bytesToHex(sha256(publicKey).subarray(0, 16));
}
