/**
 * Key agreement between two clients of a secure-aggregation round: X25519 (RFC 7748, @noble/curves) and
 * HKDF-SHA-256 (RFC 5869) bound to the round and to a purpose, so the same key pair never yields the same bytes
 * for two uses. Bonawitz et al. (CCS 2017) §4: the masking pair gives the pairwise mask seed s_{u,v}; the
 * encryption pair gives the key under which u sends v its shares (bound to the direction u -> v, so the two
 * directions never share a key and nonce).
 */
import { x25519 } from '@noble/curves/ed25519.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';

export interface KeyPair {
  readonly secretKey: Uint8Array;
  readonly publicKey: Uint8Array;
}

export function keyPairFrom(secretKey: Uint8Array): KeyPair {
  return { secretKey, publicKey: x25519.getPublicKey(secretKey) };
}

export function publicKeyOf(secretKey: Uint8Array): Uint8Array {
  return x25519.getPublicKey(secretKey);
}

function derive(secretKey: Uint8Array, peerPublic: Uint8Array, round: string, purpose: string): Uint8Array {
  const shared = x25519.getSharedSecret(secretKey, peerPublic);
  const out = hkdf(sha256, shared, utf8ToBytes(`maml-secagg-v1|${round}`), utf8ToBytes(purpose), 32);
  shared.fill(0);
  return out;
}

/** s_{u,v}: the same 32 bytes for u and v. */
export function pairwiseMaskSeed(secretKey: Uint8Array, peerPublic: Uint8Array, round: string): Uint8Array {
  return derive(secretKey, peerPublic, round, 'pairwise-mask');
}

/** The key of the share ciphertext sent from `from` to `to`. */
export function shareKey(
  secretKey: Uint8Array,
  peerPublic: Uint8Array,
  round: string,
  from: string,
  to: string,
): Uint8Array {
  return derive(secretKey, peerPublic, round, `share-encryption|${JSON.stringify([from, to])}`);
}
