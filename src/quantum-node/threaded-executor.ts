/**
 * A KernelExecutor that splits each state-vector pass across worker threads over SharedArrayBuffer. The main
 * thread works on chunk 0 while the workers do the rest, then blocks on Atomics.wait until they finish, so the
 * engine stays synchronous and unchanged. Small states (below `minQubits`) stay in ordinary memory and run on the
 * main thread, where a pass costs less than waking the workers.
 */
import { once } from 'node:events';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { MamlError } from '../shared/errors.js';
import type { Amplitudes, CompiledOp, KernelExecutor } from '../quantum/index.js';
import type { TileProgram } from '../quantum/index.js';
import { applyCompiled, makeScratch, tileRunner } from '../quantum/index.js';
import { encodeOp, fitsShared, OP_INTS, OP_VALUES } from './op-codec.js';
import {
  chunkStart,
  COMMAND,
  CTRL,
  CTRL_WORDS,
  type RegisterMessage,
  type TilesMessage,
  type WorkerInit,
} from './protocol.js';

export interface ThreadedExecutorOptions {
  /** Total threads, the main thread included (≥ 2). */
  readonly threads: number;
  /** States with fewer qubits run single-threaded (default 18). */
  readonly minQubits?: number;
  /** Tile passes through the WebAssembly SIMD kernels when available (default true). */
  readonly wasm?: boolean;
}

export interface ThreadedExecutor extends KernelExecutor {
  /** Passes that ran on the workers (for tests). */
  readonly parallelPasses: number;
  close(): Promise<void>;
}

/** Buffers the workers keep mapped; older ones are dropped and re-sent if used again. */
const MAX_REGISTERED = 8;
/** A worker that does not answer within this time is considered dead. */
const WAIT_MS = 120_000;

export async function createThreadedExecutor(options: ThreadedExecutorOptions): Promise<ThreadedExecutor> {
  const threads = Math.max(2, Math.floor(options.threads));
  const minQubits = options.minQubits ?? 18;
  const control = new SharedArrayBuffer(4 * CTRL_WORDS);
  const ints = new SharedArrayBuffer(4 * OP_INTS);
  const values = new SharedArrayBuffer(8 * OP_VALUES);
  const ctrl = new Int32Array(control);
  const opInts = new Int32Array(ints);
  const opValues = new Float64Array(values);
  const ports: MessagePort[] = [];
  const workers: Worker[] = [];
  for (let i = 1; i < threads; i++) {
    const { port1, port2 } = new MessageChannel();
    const init: WorkerInit & { port: MessagePort } = {
      control,
      ints,
      values,
      index: i,
      wasm: options.wasm ?? true,
      port: port2,
    };
    const w = new Worker(new URL('./sv-worker.js', import.meta.url), { workerData: init, transferList: [port2] });
    workers.push(w);
    ports.push(port1);
  }
  await Promise.all(workers.map((w) => once(w, 'message')));
  for (const w of workers) w.unref();

  const scratch = makeScratch();
  const tiles = tileRunner(options.wasm ?? true);
  const ids = new WeakMap<ArrayBufferLike, number>();
  const registered: { id: number; buffer: ArrayBufferLike }[] = [];
  let nextId = 1;
  let parallelPasses = 0;
  let closed = false;

  const command = (cmd: number, buffer = 0): void => {
    if (closed) throw new MamlError('internal', 'the threaded executor was closed');
    Atomics.store(ctrl, CTRL.COMMAND, cmd);
    Atomics.store(ctrl, CTRL.BUFFER, buffer);
    Atomics.store(ctrl, CTRL.THREADS, threads);
    Atomics.store(ctrl, CTRL.DONE, 0);
    Atomics.add(ctrl, CTRL.GENERATION, 1);
    Atomics.notify(ctrl, CTRL.GENERATION);
  };
  const waitWorkers = (): void => {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const done = Atomics.load(ctrl, CTRL.DONE);
      if (done >= workers.length) return;
      if (Atomics.wait(ctrl, CTRL.DONE, done, Math.max(1, deadline - Date.now())) === 'timed-out') {
        if (Date.now() >= deadline) throw new MamlError('internal', 'a state-vector worker thread stopped answering');
      }
    }
  };
  /** Waits for the workers' shares of a pass and fails loudly when one could not do its share. */
  const finishPass = (): void => {
    waitWorkers();
    if (Atomics.exchange(ctrl, CTRL.FAILED, 0) !== 0) {
      throw new MamlError('internal', 'a state-vector worker thread did not receive its buffer or pass');
    }
  };
  const register = (psi: Amplitudes): number => {
    const known = ids.get(psi.buffer);
    if (known !== undefined) return known;
    if (registered.length >= MAX_REGISTERED) {
      const old = registered.shift();
      if (old) {
        ids.delete(old.buffer);
        command(COMMAND.drop, old.id);
        waitWorkers();
      }
    }
    const id = nextId++;
    const msg: RegisterMessage = {
      type: 'register',
      id,
      buffer: psi.buffer as SharedArrayBuffer,
      precision: psi instanceof Float32Array ? 64 : 128,
    };
    for (const p of ports) p.postMessage(msg);
    command(COMMAND.register, id);
    finishPass();
    ids.set(psi.buffer, id);
    registered.push({ id, buffer: psi.buffer });
    return id;
  };

  return {
    threads,
    tileKernels: tiles.kernels,
    get parallelPasses() {
      return parallelPasses;
    },
    allocate(n, precision) {
      const len = 2 * 2 ** n;
      if (n < minQubits) return precision === 64 ? new Float32Array(len) : new Float64Array(len);
      const sab = new SharedArrayBuffer(len * (precision === 64 ? 4 : 8));
      return precision === 64 ? new Float32Array(sab) : new Float64Array(sab);
    },
    run(psi: Amplitudes, op: CompiledOp) {
      if (!(psi.buffer instanceof SharedArrayBuffer) || !fitsShared(op) || op.bases < threads) {
        applyCompiled(psi, op, 0, op.bases, scratch);
        return;
      }
      const id = register(psi);
      encodeOp(op, opInts, opValues);
      command(COMMAND.run, id);
      applyCompiled(psi, op, 0, chunkStart(1, threads, op.bases), scratch);
      finishPass();
      parallelPasses++;
    },
    runTiles(psi: Amplitudes, p: TileProgram) {
      if (!(psi.buffer instanceof SharedArrayBuffer) || p.tiles < threads) {
        tiles.run(psi, p, 0, p.tiles);
        return;
      }
      const id = register(psi);
      const msg: TilesMessage = { type: 'tiles', program: p };
      for (const port of ports) port.postMessage(msg);
      command(COMMAND.tiles, id);
      tiles.run(psi, p, 0, chunkStart(1, threads, p.tiles));
      finishPass();
      parallelPasses++;
    },
    async close() {
      if (closed) return;
      command(COMMAND.exit);
      closed = true;
      await Promise.all(workers.map((w) => w.terminate()));
      for (const p of ports) p.close();
    },
  };
}
