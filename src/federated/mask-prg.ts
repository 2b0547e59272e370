/**
 * The pseudorandom generator that expands a 32-byte seed into a mask over Z_{2^32}^n: the ChaCha20 keystream
 * (RFC 8439 §2.4, @noble/ciphers) under the seed as key and a fixed nonce, read as little-endian 32-bit words.
 * Each seed is used for exactly one vector per round (pairwise seeds come from a fresh key agreement, self-mask
 * seeds are drawn fresh), so the fixed nonce never repeats a keystream across two vectors.
 */
import { chacha20 } from '@noble/ciphers/chacha.js';

const NONCE = new Uint8Array(12);
/** Words per keystream chunk: 64 KiB, so a 1M-parameter mask never needs a 4 MB buffer at once. */
const CHUNK_WORDS = 16384;
const BLOCKS_PER_CHUNK = (CHUNK_WORDS * 4) / 64;

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Adds (sign +1) or subtracts (sign -1) the mask PRG(seed) into `target`, modulo 2^32. Client and server call the
 * same function, so both expand a seed to the same words.
 */
export function applyMask(target: Uint32Array, seed: Uint8Array, sign: 1 | -1): void {
  if (seed.length !== 32) throw new RangeError(`a mask seed is 32 bytes (got ${seed.length})`);
  if (!LITTLE_ENDIAN) throw new Error('secure aggregation masks need a little-endian platform');
  const bytes = new Uint8Array(CHUNK_WORDS * 4);
  const zeros = new Uint8Array(CHUNK_WORDS * 4);
  const words = new Uint32Array(bytes.buffer);
  for (let start = 0, chunk = 0; start < target.length; start += CHUNK_WORDS, chunk++) {
    chacha20(seed, NONCE, zeros, bytes, chunk * BLOCKS_PER_CHUNK);
    const end = Math.min(target.length, start + CHUNK_WORDS);
    if (sign === 1) for (let i = start; i < end; i++) target[i] = (target[i] as number) + (words[i - start] as number);
    else for (let i = start; i < end; i++) target[i] = (target[i] as number) - (words[i - start] as number);
  }
}
