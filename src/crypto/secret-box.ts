/**
 * Passphrase protection for secrets at rest: scrypt (RFC 7914) derives a 256-bit key from the passphrase and a
 * random salt, AES-256-GCM seals the secret with caller-chosen associated data (so a sealed seed cannot be moved
 * to another key record). Parameters travel with the box so they can be raised later.
 */
import { scryptAsync } from '@noble/hashes/scrypt.js';
import { aesGcmOpen, aesGcmSeal, GCM_IV_BYTES } from './aes-gcm.js';
import { fromBase64, randomBytes, toBase64, utf8ToBytes, wipe } from './bytes.js';

/** N = 2^17, r = 8, p = 1: the scrypt parameters OWASP recommends as a minimum for interactive use. */
export const DEFAULT_SCRYPT = { N: 2 ** 17, r: 8, p: 1 } as const;

export interface SecretBox {
  readonly enc: 'scrypt-aes-256-gcm';
  readonly N: number;
  readonly r: number;
  readonly p: number;
  readonly salt: string;
  readonly iv: string;
  readonly ct: string;
}

export interface ScryptParams {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

async function deriveKey(passphrase: string, salt: Uint8Array, params: ScryptParams): Promise<Uint8Array> {
  return scryptAsync(utf8ToBytes(passphrase.normalize('NFC')), salt, { ...params, dkLen: 32, maxmem: 2 ** 30 });
}

export async function sealSecret(
  secret: Uint8Array,
  passphrase: string,
  aad: Uint8Array,
  params: ScryptParams = DEFAULT_SCRYPT,
): Promise<SecretBox> {
  const salt = randomBytes(16);
  const iv = randomBytes(GCM_IV_BYTES);
  const key = await deriveKey(passphrase, salt, params);
  const ct = aesGcmSeal(key, iv, secret, aad);
  wipe(key);
  return { enc: 'scrypt-aes-256-gcm', ...params, salt: toBase64(salt), iv: toBase64(iv), ct: toBase64(ct) };
}

/** Undefined for a wrong passphrase, edited box or different associated data. */
export async function openSecret(box: SecretBox, passphrase: string, aad: Uint8Array): Promise<Uint8Array | undefined> {
  const salt = fromBase64(box.salt);
  const iv = fromBase64(box.iv);
  const ct = fromBase64(box.ct);
  const sane =
    Number.isSafeInteger(box.N) &&
    box.N >= 2 ** 10 &&
    box.N <= 2 ** 22 &&
    box.r >= 1 &&
    box.r <= 32 &&
    box.p >= 1 &&
    box.p <= 16;
  if (!salt || !iv || !ct || iv.length !== GCM_IV_BYTES || !sane) return undefined;
  const key = await deriveKey(passphrase, salt, box);
  const secret = aesGcmOpen(key, iv, ct, aad);
  wipe(key);
  return secret;
}
