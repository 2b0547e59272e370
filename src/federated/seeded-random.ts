/**
 * Deterministic random bytes and Gaussian samples from a seed: the ChaCha20 keystream under SHA-256(seed). Used
 * where a run must be repeatable (a fixed seed in tests and examples); production rounds draw their keys and noise
 * from the platform CSPRNG (`crypto.getRandomValues`) unless a seed is configured.
 */
import { chacha20 } from '@noble/ciphers/chacha.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { randomBytes, utf8ToBytes } from '@noble/hashes/utils.js';

export type RandomSource = (bytes: number) => Uint8Array;

export function seededRandom(seed: string): RandomSource {
  const key = sha256(utf8ToBytes(`maml-federated-seed|${seed}`));
  let block = 0;
  return (bytes) => {
    const blocks = Math.ceil(bytes / 64);
    const out = chacha20(key, new Uint8Array(12), new Uint8Array(blocks * 64), undefined, block);
    block += blocks;
    return out.subarray(0, bytes);
  };
}

export const systemRandom: RandomSource = randomBytes;

/** A uniform double in (0, 1) with 53 random bits, never 0. */
function uniform(bytes: Uint8Array, offset: number): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, 8);
  const hi = view.getUint32(0, true) >>> 5;
  const lo = view.getUint32(4, true) >>> 6;
  return (hi * 67108864 + lo + 0.5) / 9007199254740992;
}

/**
 * Fills `out` with independent N(0, sigma^2) samples (Box-Muller over uniforms from `random`). Floating-point
 * Gaussian sampling is not a perfect discrete mechanism (Mironov, CCS 2012): see docs/federated.md.
 */
export function gaussianNoise(random: RandomSource, out: Float64Array, sigma: number): void {
  const CHUNK = 4096;
  for (let start = 0; start < out.length; start += CHUNK) {
    const end = Math.min(out.length, start + CHUNK);
    const pairs = Math.ceil((end - start) / 2);
    const bytes = random(pairs * 16);
    for (let p = 0; p < pairs; p++) {
      const u1 = uniform(bytes, p * 16);
      const u2 = uniform(bytes, p * 16 + 8);
      const r = Math.sqrt(-2 * Math.log(u1)) * sigma;
      const i = start + 2 * p;
      out[i] = r * Math.cos(2 * Math.PI * u2);
      if (i + 1 < end) out[i + 1] = r * Math.sin(2 * Math.PI * u2);
    }
  }
}
