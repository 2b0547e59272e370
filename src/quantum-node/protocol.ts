/**
 * Shared-memory protocol between the main thread and the kernel workers. The control words live in an Int32Array
 * over a SharedArrayBuffer; the main thread bumps GENERATION and notifies, each worker does its share of the
 * command and increments DONE. Buffers reach the workers once, over a MessagePort read synchronously.
 */
import type { TileProgram } from '../quantum/index.js';

export const CTRL = {
  GENERATION: 0,
  DONE: 1,
  COMMAND: 2,
  BUFFER: 3,
  THREADS: 4,
  /** Set by a worker that could not do its share (its buffer or tile program never reached it). */
  FAILED: 5,
} as const;
export const CTRL_WORDS = 8;

export const COMMAND = {
  run: 1,
  register: 2,
  drop: 3,
  exit: 4,
  tiles: 5,
} as const;

/** Sent over the worker's port before a `register` command. */
export interface RegisterMessage {
  readonly type: 'register';
  readonly id: number;
  readonly buffer: SharedArrayBuffer;
  readonly precision: 64 | 128;
}

/** Sent over the worker's port before a `tiles` command: the tile pass to run on buffer BUFFER. */
export interface TilesMessage {
  readonly type: 'tiles';
  readonly program: TileProgram;
}

export interface WorkerInit {
  readonly control: SharedArrayBuffer;
  readonly ints: SharedArrayBuffer;
  readonly values: SharedArrayBuffer;
  /** This worker's share: chunk `index` of `threads` (the main thread does chunk 0). */
  readonly index: number;
  /** Tile passes through the WebAssembly SIMD kernels when available. */
  readonly wasm: boolean;
}

/** Base indices per alignment unit of a chunk: whole cache lines, and whole runs for the low-qubit kernels. */
const CHUNK_ALIGN = 64;

/**
 * Start of chunk `index` of `threads` over `bases` base indices (chunk i is [chunkStart(i), chunkStart(i + 1))).
 * Boundaries are rounded to multiples of 64 bases when every chunk still gets some, so no two threads write
 * the same cache line; the main thread and the workers compute the same split from the same numbers.
 */
export function chunkStart(index: number, threads: number, bases: number): number {
  if (index >= threads) return bases;
  const even = Math.floor((index * bases) / threads);
  if (bases < CHUNK_ALIGN * threads) return even;
  return Math.floor(even / CHUNK_ALIGN) * CHUNK_ALIGN;
}
