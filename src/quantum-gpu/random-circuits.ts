/**
 * Benchmark circuits: random circuits in the style of the supremacy experiments (a layer of random single-qubit
 * rotations on every qubit, then CZ on alternating neighbour pairs), QFT and GHZ. Seeded, so every run and every
 * backend simulates the same circuit.
 */
/** The circuit with every qubit measured at the end (qubit q into clbit q), as the benchmark samples it. */
export function measured(c: Circuit): Circuit {
  const b = new CircuitBuilder(c.numQubits, c.numQubits).measureAll().build();
  return { ...c, numClbits: c.numQubits, ops: [...c.ops, ...b.ops] };
}

import type { Circuit } from '../quantum/index.js';
import { CircuitBuilder, Rng } from '../quantum/index.js';

export function randomCircuit(n: number, depth: number, seed = 1): Circuit {
  const rng = new Rng(seed);
  const b = new CircuitBuilder(n);
  for (let layer = 0; layer < depth; layer++) {
    for (let q = 0; q < n; q++) b.u(Math.PI * rng.next(), 2 * Math.PI * rng.next(), 2 * Math.PI * rng.next(), q);
    for (let q = layer % 2; q + 1 < n; q += 2) b.cz(q, q + 1);
  }
  return b.build();
}

export function qft(n: number): Circuit {
  const b = new CircuitBuilder(n);
  for (let j = n - 1; j >= 0; j--) {
    b.h(j);
    for (let k = j - 1; k >= 0; k--) b.cp(Math.PI / 2 ** (j - k), k, j);
  }
  for (let q = 0; q < Math.floor(n / 2); q++) b.swap(q, n - 1 - q);
  return b.build();
}

export function ghz(n: number): Circuit {
  const b = new CircuitBuilder(n).h(0);
  for (let q = 1; q < n; q++) b.cx(q - 1, q);
  return b.build();
}
