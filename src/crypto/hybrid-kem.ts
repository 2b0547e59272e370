/**
 * Hybrid key encapsulation: X25519 (RFC 7748) and ML-KEM (FIPS 203) run side by side and both shared secrets go
 * through HKDF-SHA-256 (RFC 5869) together with both ciphertexts and both public keys, so the derived key stays
 * secret while either component holds and is bound to this exact exchange. Suites: x25519-ml-kem-768
 * ("standard") and x25519-ml-kem-1024 ("pq").
 */
import { x25519 } from '@noble/curves/ed25519.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, utf8ToBytes, wipe } from './bytes.js';
import { mlKemDecapsulate, mlKemEncapsulate, mlKemKeygen, mlKemSizes, type MlKemAlg } from './ml-kem.js';

export const KEM_SUITES = ['x25519-ml-kem-768', 'x25519-ml-kem-1024'] as const;
export type KemSuite = (typeof KEM_SUITES)[number];

const ML_KEM: Readonly<Record<KemSuite, MlKemAlg>> = {
  'x25519-ml-kem-768': 'ml-kem-768',
  'x25519-ml-kem-1024': 'ml-kem-1024',
};

export const X25519_BYTES = 32;
/** Seed = X25519 secret key (32) || ML-KEM d || z (64). */
export const KEM_SEED_BYTES = 96;
const SALT = utf8ToBytes('maml-hybrid-kem-v1');

export function isKemSuite(value: unknown): value is KemSuite {
  return typeof value === 'string' && (KEM_SUITES as readonly string[]).includes(value);
}

export interface HybridKeyPair {
  readonly suite: KemSuite;
  /** X25519 public key (32) || ML-KEM encapsulation key. */
  readonly publicKey: Uint8Array;
  readonly x25519Secret: Uint8Array;
  readonly mlKemSecret: Uint8Array;
}

export function hybridSizes(suite: KemSuite): { publicKey: number; encapsulation: number } {
  const s = mlKemSizes(ML_KEM[suite]);
  return { publicKey: X25519_BYTES + s.publicKey, encapsulation: X25519_BYTES + s.cipherText };
}

export function hybridKeygen(suite: KemSuite, seed?: Uint8Array): HybridKeyPair {
  if (seed !== undefined && seed.length !== KEM_SEED_BYTES)
    throw new RangeError(`KEM seed must be ${KEM_SEED_BYTES} bytes`);
  const xs = seed ? seed.slice(0, X25519_BYTES) : x25519.utils.randomSecretKey();
  const kem = mlKemKeygen(ML_KEM[suite], seed?.subarray(X25519_BYTES));
  return {
    suite,
    publicKey: concatBytes(x25519.getPublicKey(xs), kem.publicKey),
    x25519Secret: xs,
    mlKemSecret: kem.secretKey,
  };
}

function combine(
  suite: KemSuite,
  ssX: Uint8Array,
  ssK: Uint8Array,
  enc: Uint8Array,
  publicKey: Uint8Array,
): Uint8Array {
  const ikm = concatBytes(ssX, ssK);
  // info carries the transcript hashed to a fixed size: suite, both ciphertexts (epk || ct) and both public keys.
  const info = concatBytes(utf8ToBytes(suite), sha256(concatBytes(enc, publicKey)));
  const key = hkdf(sha256, ikm, SALT, info, 32);
  wipe(ikm);
  return key;
}

const allZero = (b: Uint8Array): boolean => b.every((x) => x === 0);

/** Encapsulates to a recipient's hybrid public key: returns the 32-byte key and `enc` = epk || ML-KEM ct. */
export function hybridEncapsulate(
  suite: KemSuite,
  publicKey: Uint8Array,
): { key: Uint8Array; encapsulation: Uint8Array } | undefined {
  if (publicKey.length !== hybridSizes(suite).publicKey) return undefined;
  const peerX = publicKey.subarray(0, X25519_BYTES);
  const kem = mlKemEncapsulate(ML_KEM[suite], publicKey.subarray(X25519_BYTES));
  if (!kem) return undefined;
  const eph = x25519.utils.randomSecretKey();
  let ssX: Uint8Array;
  try {
    ssX = x25519.getSharedSecret(eph, peerX);
  } catch {
    return undefined;
  }
  // RFC 7748 §6.1: an all-zero result means a low-order point; refuse it.
  if (allZero(ssX)) return undefined;
  const encapsulation = concatBytes(x25519.getPublicKey(eph), kem.cipherText);
  const key = combine(suite, ssX, kem.sharedSecret, encapsulation, publicKey);
  wipe(eph, ssX, kem.sharedSecret);
  return { key, encapsulation };
}

/** Recovers the key from `enc`; undefined for malformed input. A wrong key gives a different (useless) key. */
export function hybridDecapsulate(pair: HybridKeyPair, encapsulation: Uint8Array): Uint8Array | undefined {
  if (encapsulation.length !== hybridSizes(pair.suite).encapsulation) return undefined;
  let ssX: Uint8Array;
  try {
    ssX = x25519.getSharedSecret(pair.x25519Secret, encapsulation.subarray(0, X25519_BYTES));
  } catch {
    return undefined;
  }
  if (allZero(ssX)) return undefined;
  const ssK = mlKemDecapsulate(ML_KEM[pair.suite], encapsulation.subarray(X25519_BYTES), pair.mlKemSecret);
  if (!ssK) return undefined;
  const key = combine(pair.suite, ssX, ssK, encapsulation, pair.publicKey);
  wipe(ssX, ssK);
  return key;
}
