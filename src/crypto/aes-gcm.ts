/**
 * AES-GCM (NIST SP 800-38D) through @noble/ciphers, restricted to what the product uses: 96-bit IVs and 128-bit
 * tags. Keys may be 128, 192 or 256 bits so NIST vectors for any size run through this same code; the product
 * itself only ever passes 256-bit keys.
 */
import { gcm } from '@noble/ciphers/aes.js';

export const GCM_IV_BYTES = 12;
export const GCM_TAG_BYTES = 16;

function checkParams(key: Uint8Array, iv: Uint8Array): void {
  if (![16, 24, 32].includes(key.length)) throw new RangeError('AES key must be 128, 192 or 256 bits');
  if (iv.length !== GCM_IV_BYTES) throw new RangeError('AES-GCM IV must be 96 bits');
}

/** Returns ciphertext || 16-byte tag. The caller guarantees the (key, iv) pair is never reused. */
export function aesGcmSeal(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Uint8Array {
  checkParams(key, iv);
  return gcm(key, iv, aad).encrypt(plaintext);
}

/** Authenticates then decrypts ciphertext || tag; undefined on any failure, with no partial plaintext. */
export function aesGcmOpen(
  key: Uint8Array,
  iv: Uint8Array,
  sealed: Uint8Array,
  aad: Uint8Array,
): Uint8Array | undefined {
  checkParams(key, iv);
  if (sealed.length < GCM_TAG_BYTES) return undefined;
  try {
    return gcm(key, iv, aad).decrypt(sealed);
  } catch {
    return undefined;
  }
}
