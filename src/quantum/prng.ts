/**
 * Seeded pseudo-random numbers for shot sampling: xoshiro128** (Blackman & Vigna) seeded through splitmix32, so the
 * same seed gives the same counts on every machine and Node version (only 32-bit integer arithmetic is used).
 */

function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

export interface Rng {
  /** Uniform in [0, 1) with 53 random bits. */
  next(): number;
}

export function createRng(seed: number): Rng {
  const lo = seed >>> 0;
  const hi = Math.floor(Math.abs(seed) / 2 ** 32) >>> 0;
  const sm = { s: lo ^ Math.imul(hi, 0x27d4eb2f) };
  let a = splitmix32(sm);
  let b = splitmix32(sm);
  let c = splitmix32(sm);
  let d = splitmix32(sm);
  if ((a | b | c | d) === 0) a = 1;
  const next32 = (): number => {
    const result = Math.imul(((Math.imul(b, 5) << 7) | (Math.imul(b, 5) >>> 25)) >>> 0, 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = (d << 11) | (d >>> 21);
    return result;
  };
  return {
    next: () => ((next32() >>> 5) * 67108864 + (next32() >>> 6)) / 9007199254740992,
  };
}
