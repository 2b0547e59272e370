/** Circuits shared by tests and benchmarks. */
import type { Circuit } from '../../src/quantum/index.js';
import { CircuitBuilder } from '../../src/quantum/index.js';

/**
 * Cuccaro–Draper–Kutin–Moulton ripple-carry adder (quant-ph/0410184, Fig. 3) on basis states a and b of `bits`
 * bits. Layout: qubit 0 carry-in, then b_i at 1 + 2i and a_i at 2 + 2i, carry-out last. b becomes a + b mod 2^bits
 * and the carry-out holds the top bit; the sum is measured into clbits 0..bits.
 */
export function cuccaroAdder(bits: number, a: bigint, b: bigint): { circuit: Circuit; sumClbits: number } {
  const n = 2 * bits + 2;
  const c = new CircuitBuilder(n, bits + 1);
  const bq = (i: number): number => 1 + 2 * i;
  const aq = (i: number): number => 2 + 2 * i;
  const z = n - 1;
  for (let i = 0; i < bits; i++) {
    if ((a >> BigInt(i)) & 1n) c.x(aq(i));
    if ((b >> BigInt(i)) & 1n) c.x(bq(i));
  }
  const maj = (x: number, y: number, w: number): void => {
    c.cx(w, y).cx(w, x).ccx(x, y, w);
  };
  const uma = (x: number, y: number, w: number): void => {
    c.ccx(x, y, w).cx(w, x).cx(x, y);
  };
  maj(0, bq(0), aq(0));
  for (let i = 1; i < bits; i++) maj(aq(i - 1), bq(i), aq(i));
  c.cx(aq(bits - 1), z);
  for (let i = bits - 1; i >= 1; i--) uma(aq(i - 1), bq(i), aq(i));
  uma(0, bq(0), aq(0));
  for (let i = 0; i < bits; i++) c.measure(bq(i), i);
  c.measure(z, bits);
  return { circuit: c.build(), sumClbits: bits + 1 };
}
