/**
 * The JSON records a keyring keeps: `<name>.pub.json` (public key, trust) and `<name>.key.json` (the seed, sealed
 * with a passphrase or, failing one, stored in clear with mode 0600). Exported public keys use the public record
 * without the local `trusted` and `source` fields. Parsing validates everything and recomputes the key id.
 */
import {
  expandSeed,
  fromBase64,
  hybridSizes,
  isEncryptionAlg,
  publicKeyId,
  resolveKeyAlg,
  ML_DSA_SIZES,
  type KeyAlg,
  type SecretBox,
} from '../crypto/index.js';

export const KEY_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export interface PublicKeyRecord {
  readonly v: 1;
  readonly type: 'maml-public-key';
  readonly name: string;
  readonly alg: KeyAlg;
  readonly keyId: string;
  readonly publicKey: string;
  readonly created: string;
  /** Local only: whether tickets signed by this key are accepted. */
  readonly trusted?: boolean;
  /** Local only: `generated` here or `imported` from someone else. */
  readonly source?: 'generated' | 'imported';
}

export type SeedRecord = { readonly enc: 'none'; readonly data: string } | SecretBox;

export interface SecretKeyRecord {
  readonly v: 1;
  readonly type: 'maml-secret-key';
  readonly name: string;
  readonly alg: KeyAlg;
  readonly keyId: string;
  readonly seed: SeedRecord;
}

export function publicKeyLength(alg: KeyAlg): number {
  if (alg === 'ed25519') return 32;
  return isEncryptionAlg(alg) ? hybridSizes(alg).publicKey : ML_DSA_SIZES[alg].publicKey;
}

/** Validates a public record (own or imported); a string says what is wrong. */
export function parsePublicRecord(value: unknown): PublicKeyRecord | string {
  if (typeof value !== 'object' || value === null) return 'not a JSON object';
  const r = value as Record<string, unknown>;
  if (r['v'] !== 1 || r['type'] !== 'maml-public-key')
    return 'not a MAML public key (expected type "maml-public-key", v 1)';
  if (typeof r['name'] !== 'string' || !KEY_NAME.test(r['name'])) return 'bad key name';
  const alg = typeof r['alg'] === 'string' ? resolveKeyAlg(r['alg']) : undefined;
  if (!alg) return `unknown key algorithm ${JSON.stringify(r['alg'])}`;
  const pk = typeof r['publicKey'] === 'string' ? fromBase64(r['publicKey']) : undefined;
  if (!pk || pk.length !== publicKeyLength(alg)) return `publicKey is not a ${alg} public key`;
  if (r['keyId'] !== publicKeyId(pk)) return 'keyId does not match the public key';
  if (r['trusted'] !== undefined && typeof r['trusted'] !== 'boolean') return 'trusted must be true or false';
  return { ...(r as unknown as PublicKeyRecord), alg };
}

export function decodePublicKey(record: PublicKeyRecord): Uint8Array {
  return fromBase64(record.publicKey) as Uint8Array;
}

/** Associated data binding a sealed seed to its record, so it cannot be moved to another key. */
export function seedAad(record: { alg: KeyAlg; keyId: string }): Uint8Array {
  return new TextEncoder().encode(`maml-key-v1\n${record.alg}\n${record.keyId}`);
}

export function checkSeed(alg: KeyAlg, keyId: string, seed: Uint8Array): boolean {
  try {
    return expandSeed(alg, seed).keyId === keyId;
  } catch {
    return false;
  }
}
