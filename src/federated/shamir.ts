/**
 * Shamir secret sharing (threshold t of n) for the 32-byte secrets of secure aggregation: each client's masking
 * secret key and self-mask seed. The arithmetic is the audited `shamir-secret-sharing` package (GF(2^8), byte by
 * byte, random distinct x-coordinates carried in each share's last byte), which caps a round at 255 clients.
 * Fewer than t shares reveal nothing about a secret and also cannot rebuild it: the caller counts shares before
 * combining, because combining too few yields a wrong value, not an error.
 */
import { combine, split } from 'shamir-secret-sharing';

export const MAX_SHARES = 255;
export const SECRET_BYTES = 32;
/** A share is the secret's length plus the x-coordinate byte. */
export const SHARE_BYTES = SECRET_BYTES + 1;

export async function shareSecret(secret: Uint8Array, shares: number, threshold: number): Promise<Uint8Array[]> {
  if (secret.length !== SECRET_BYTES) throw new RangeError(`secrets are ${SECRET_BYTES} bytes`);
  if (shares > MAX_SHARES) throw new RangeError(`at most ${MAX_SHARES} shares`);
  if (threshold < 2 || threshold > shares) throw new RangeError(`threshold must be in 2..${shares}`);
  return split(secret, shares, threshold);
}

/** Rebuilds a secret from at least `threshold` distinct shares; `undefined` when there are too few or they clash. */
export async function combineShares(shares: readonly Uint8Array[], threshold: number): Promise<Uint8Array | undefined> {
  const valid = shares.filter((s) => s.length === SHARE_BYTES);
  const xs = new Set(valid.map((s) => s[SECRET_BYTES]));
  if (valid.length < threshold || xs.size !== valid.length) return undefined;
  return combine([...valid]);
}
