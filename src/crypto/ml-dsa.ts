/**
 * ML-DSA (FIPS 204, formerly CRYSTALS-Dilithium) through @noble/post-quantum: the one code path the product uses
 * to make and check signatures, so the ACVP vectors exercise exactly it. Only the "pure" external interface
 * (FIPS 204 §5.2/§5.3, with a context string) is offered; HashML-DSA and the internal interface are not.
 */
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';

export const ML_DSA_ALGS = ['ml-dsa-44', 'ml-dsa-65', 'ml-dsa-87'] as const;
export type MlDsaAlg = (typeof ML_DSA_ALGS)[number];

const IMPL = { 'ml-dsa-44': ml_dsa44, 'ml-dsa-65': ml_dsa65, 'ml-dsa-87': ml_dsa87 } as const;

/** FIPS 204 Table 2 sizes in bytes. */
export const ML_DSA_SIZES: Readonly<Record<MlDsaAlg, { publicKey: number; secretKey: number; signature: number }>> = {
  'ml-dsa-44': { publicKey: 1312, secretKey: 2560, signature: 2420 },
  'ml-dsa-65': { publicKey: 1952, secretKey: 4032, signature: 3309 },
  'ml-dsa-87': { publicKey: 2592, secretKey: 4896, signature: 4627 },
};

/** FIPS 204 §5.2: the context string is at most 255 bytes. */
export const MAX_CONTEXT = 255;

export interface MlDsaKeyPair {
  readonly alg: MlDsaAlg;
  readonly publicKey: Uint8Array;
  readonly secretKey: Uint8Array;
}

export function isMlDsaAlg(value: unknown): value is MlDsaAlg {
  return typeof value === 'string' && (ML_DSA_ALGS as readonly string[]).includes(value);
}

/** FIPS 204 Algorithm 1 (ML-DSA.KeyGen) from a 32-byte seed ξ; a fresh random seed when none is given. */
export function mlDsaKeygen(alg: MlDsaAlg, seed?: Uint8Array): MlDsaKeyPair {
  const { publicKey, secretKey } = IMPL[alg].keygen(seed);
  return { alg, publicKey, secretKey };
}

/** FIPS 204 Algorithm 2 (hedged ML-DSA.Sign) with context `ctx`. */
export function mlDsaSign(alg: MlDsaAlg, secretKey: Uint8Array, message: Uint8Array, ctx: Uint8Array): Uint8Array {
  if (ctx.length > MAX_CONTEXT) throw new RangeError('ML-DSA context longer than 255 bytes');
  return IMPL[alg].sign(message, secretKey, { context: ctx });
}

/** FIPS 204 Algorithm 3 (ML-DSA.Verify). Any malformed input gives false, never an exception. */
export function mlDsaVerify(
  alg: MlDsaAlg,
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
  ctx: Uint8Array,
): boolean {
  if (ctx.length > MAX_CONTEXT) return false;
  const sizes = ML_DSA_SIZES[alg];
  if (publicKey.length !== sizes.publicKey || signature.length !== sizes.signature) return false;
  try {
    return IMPL[alg].verify(signature, message, publicKey, { context: ctx });
  } catch {
    return false;
  }
}
