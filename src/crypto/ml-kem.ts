/**
 * ML-KEM (FIPS 203, formerly CRYSTALS-Kyber) through @noble/post-quantum: the one code path the product uses for
 * key generation, encapsulation and decapsulation, plus the FIPS 203 §7.2/§7.3 input checks on keys.
 */
import { ml_kem512, ml_kem768, ml_kem1024 } from '@noble/post-quantum/ml-kem.js';
import { sha3_256 } from '@noble/hashes/sha3.js';
import { equalBytes } from './bytes.js';

export const ML_KEM_ALGS = ['ml-kem-512', 'ml-kem-768', 'ml-kem-1024'] as const;
export type MlKemAlg = (typeof ML_KEM_ALGS)[number];

const IMPL = { 'ml-kem-512': ml_kem512, 'ml-kem-768': ml_kem768, 'ml-kem-1024': ml_kem1024 } as const;
/** FIPS 203 §8 Table 2: module rank k. */
const RANK: Readonly<Record<MlKemAlg, number>> = { 'ml-kem-512': 2, 'ml-kem-768': 3, 'ml-kem-1024': 4 };
/** FIPS 203 §2.3: q. */
const Q = 3329;

export interface MlKemKeyPair {
  readonly alg: MlKemAlg;
  readonly publicKey: Uint8Array;
  readonly secretKey: Uint8Array;
}

/** FIPS 203 Table 3 sizes in bytes. */
export function mlKemSizes(alg: MlKemAlg): { publicKey: number; secretKey: number; cipherText: number } {
  const k = RANK[alg];
  const du = k === 4 ? 11 : 10;
  const dv = k === 4 ? 5 : 4;
  return { publicKey: 384 * k + 32, secretKey: 768 * k + 96, cipherText: 32 * (du * k + dv) };
}

/** FIPS 203 Algorithm 19 (ML-KEM.KeyGen) from seed d || z (64 bytes); random when no seed is given. */
export function mlKemKeygen(alg: MlKemAlg, seed?: Uint8Array): MlKemKeyPair {
  if (seed !== undefined && seed.length !== 64) throw new RangeError('ML-KEM seed must be 64 bytes (d || z)');
  const { publicKey, secretKey } = IMPL[alg].keygen(seed);
  return { alg, publicKey, secretKey };
}

/** FIPS 203 §7.2 encapsulation key check: right length, and every 12-bit coefficient below q. */
export function mlKemCheckPublicKey(alg: MlKemAlg, ek: Uint8Array): boolean {
  const k = RANK[alg];
  if (ek.length !== 384 * k + 32) return false;
  for (let i = 0; i < 384 * k; i += 3) {
    const b0 = ek[i] as number;
    const b1 = ek[i + 1] as number;
    const b2 = ek[i + 2] as number;
    if ((b0 | ((b1 & 0x0f) << 8)) >= Q || ((b1 >> 4) | (b2 << 4)) >= Q) return false;
  }
  return true;
}

/** FIPS 203 §7.3 decapsulation key check: right length, and H(ek) stored inside dk matches the embedded ek. */
export function mlKemCheckSecretKey(alg: MlKemAlg, dk: Uint8Array): boolean {
  const k = RANK[alg];
  if (dk.length !== 768 * k + 96) return false;
  const ek = dk.subarray(384 * k, 768 * k + 32);
  return equalBytes(sha3_256(ek), dk.subarray(768 * k + 32, 768 * k + 64));
}

/**
 * FIPS 203 Algorithm 20 (ML-KEM.Encaps). `m` (32 bytes) is for known-answer tests only; production calls omit it.
 * Undefined when the public key fails the §7.2 check.
 */
export function mlKemEncapsulate(
  alg: MlKemAlg,
  publicKey: Uint8Array,
  m?: Uint8Array,
): { cipherText: Uint8Array; sharedSecret: Uint8Array } | undefined {
  if (!mlKemCheckPublicKey(alg, publicKey)) return undefined;
  try {
    return IMPL[alg].encapsulate(publicKey, m);
  } catch {
    return undefined;
  }
}

/**
 * FIPS 203 Algorithm 21 (ML-KEM.Decaps). A wrong ciphertext yields the implicit-rejection secret, not an error;
 * undefined only for a malformed key or a ciphertext of the wrong length.
 */
export function mlKemDecapsulate(alg: MlKemAlg, cipherText: Uint8Array, secretKey: Uint8Array): Uint8Array | undefined {
  if (cipherText.length !== mlKemSizes(alg).cipherText || !mlKemCheckSecretKey(alg, secretKey)) return undefined;
  try {
    return IMPL[alg].decapsulate(cipherText, secretKey);
  } catch {
    return undefined;
  }
}
