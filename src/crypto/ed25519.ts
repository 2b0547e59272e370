/** Ed25519 (RFC 8032) through @noble/curves, used for standard C2SP signed-note signatures on checkpoints. */
import { ed25519 } from '@noble/curves/ed25519.js';

export interface Ed25519KeyPair {
  readonly publicKey: Uint8Array;
  readonly secretKey: Uint8Array;
}

export function ed25519Keygen(seed?: Uint8Array): Ed25519KeyPair {
  // Copied: noble returns the seed itself as the secret key, and callers wipe their seed after use.
  const { publicKey, secretKey } = ed25519.keygen(seed === undefined ? undefined : seed.slice());
  return { publicKey, secretKey };
}

export function ed25519Sign(secretKey: Uint8Array, message: Uint8Array): Uint8Array {
  return ed25519.sign(message, secretKey);
}

/** RFC 8032 §5.1.7 verification; false for malformed keys or signatures. */
export function ed25519Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  try {
    return ed25519.verify(signature, message, publicKey);
  } catch {
    return false;
  }
}
