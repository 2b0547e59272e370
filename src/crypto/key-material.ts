/**
 * The key algorithms a keyring holds and how each key pair is rebuilt from its stored seed: ML-DSA signing keys
 * (32-byte seed ξ, FIPS 204) and hybrid X25519 + ML-KEM encryption keys (96-byte seed). Seeds are what is kept
 * at rest; expanded keys exist only in memory.
 */
import { KEM_SEED_BYTES, hybridKeygen, isKemSuite, type HybridKeyPair, type KemSuite } from './hybrid-kem.js';
import { publicKeyId } from './key-id.js';
import { isMlDsaAlg, mlDsaKeygen, type MlDsaAlg, type MlDsaKeyPair } from './ml-dsa.js';
import { randomBytes } from './bytes.js';
import { ed25519Keygen, type Ed25519KeyPair } from './ed25519.js';

export const SIGNING_ALGS = ['ml-dsa-65', 'ml-dsa-87'] as const;
/** Ed25519 signs only audit-log checkpoints (C2SP signed notes), next to ML-DSA. */
export const NOTE_ALGS = ['ed25519'] as const;
export const KEY_ALGS = [...SIGNING_ALGS, ...NOTE_ALGS, 'x25519-ml-kem-768', 'x25519-ml-kem-1024'] as const;
export type KeyAlg = (typeof KEY_ALGS)[number];

/** Names people type on the command line for the encryption suites. */
export const KEY_ALG_ALIASES: Readonly<Record<string, KeyAlg>> = {
  'kem-standard': 'x25519-ml-kem-768',
  'kem-pq': 'x25519-ml-kem-1024',
};

export function resolveKeyAlg(name: string): KeyAlg | undefined {
  const alg = KEY_ALG_ALIASES[name] ?? name;
  return (KEY_ALGS as readonly string[]).includes(alg) ? (alg as KeyAlg) : undefined;
}

export function isSigningAlg(alg: KeyAlg): alg is MlDsaAlg & KeyAlg {
  return isMlDsaAlg(alg);
}

export function isEncryptionAlg(alg: KeyAlg): alg is KemSuite {
  return isKemSuite(alg);
}

export function isNoteAlg(alg: KeyAlg): alg is 'ed25519' {
  return alg === 'ed25519';
}

export function seedBytes(alg: KeyAlg): number {
  return isSigningAlg(alg) || isNoteAlg(alg) ? 32 : KEM_SEED_BYTES;
}

export type ExpandedKey =
  | { readonly kind: 'signing'; readonly alg: MlDsaAlg; readonly keyId: string; readonly pair: MlDsaKeyPair }
  | { readonly kind: 'encryption'; readonly alg: KemSuite; readonly keyId: string; readonly pair: HybridKeyPair }
  | { readonly kind: 'note'; readonly alg: 'ed25519'; readonly keyId: string; readonly pair: Ed25519KeyPair };

export function expandSeed(alg: KeyAlg, seed: Uint8Array): ExpandedKey {
  if (seed.length !== seedBytes(alg)) throw new RangeError(`seed for ${alg} must be ${seedBytes(alg)} bytes`);
  if (isSigningAlg(alg)) {
    const pair = mlDsaKeygen(alg, seed);
    return { kind: 'signing', alg, keyId: publicKeyId(pair.publicKey), pair };
  }
  if (isNoteAlg(alg)) {
    const pair = ed25519Keygen(seed);
    return { kind: 'note', alg, keyId: publicKeyId(pair.publicKey), pair };
  }
  if (!isEncryptionAlg(alg)) throw new RangeError(`unknown key algorithm ${String(alg)}`);
  const pair = hybridKeygen(alg, seed);
  return { kind: 'encryption', alg, keyId: publicKeyId(pair.publicKey), pair };
}

export function newSeed(alg: KeyAlg): Uint8Array {
  return randomBytes(seedBytes(alg));
}
