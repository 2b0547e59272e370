/**
 * Kernel worker: waits on the shared control word, runs its chunk of each state-vector pass with the same kernels
 * as the main thread, and reports completion. Started by ThreadedExecutor.
 */
import { parentPort, receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { applyCompiled, makeScratch, tileRunner, type Amplitudes } from '../quantum/index.js';
import { decodeOp } from './op-codec.js';
import { chunkStart, COMMAND, CTRL, type RegisterMessage, type TilesMessage, type WorkerInit } from './protocol.js';

const init = workerData as WorkerInit & { port: MessagePort };
const ctrl = new Int32Array(init.control);
const ints = new Int32Array(init.ints);
const values = new Float64Array(init.values);
const buffers = new Map<number, Amplitudes>();
const scratch = makeScratch();
const tiles = tileRunner(init.wasm);

parentPort?.postMessage('ready');
let generation = 0;
for (;;) {
  Atomics.wait(ctrl, CTRL.GENERATION, generation);
  generation = Atomics.load(ctrl, CTRL.GENERATION);
  const command = Atomics.load(ctrl, CTRL.COMMAND);
  if (command === COMMAND.exit) break;
  if (command === COMMAND.register) {
    const msg = receiveMessageOnPort(init.port)?.message as RegisterMessage | undefined;
    if (msg) {
      buffers.set(msg.id, msg.precision === 64 ? new Float32Array(msg.buffer) : new Float64Array(msg.buffer));
    }
  } else if (command === COMMAND.drop) {
    buffers.delete(Atomics.load(ctrl, CTRL.BUFFER));
  } else if (command === COMMAND.run) {
    const psi = buffers.get(Atomics.load(ctrl, CTRL.BUFFER));
    const op = decodeOp(ints, values);
    const threads = Atomics.load(ctrl, CTRL.THREADS);
    const lo = chunkStart(init.index, threads, op.bases);
    const hi = chunkStart(init.index + 1, threads, op.bases);
    if (psi && hi > lo) applyCompiled(psi, op, lo, hi, scratch);
  } else if (command === COMMAND.tiles) {
    const psi = buffers.get(Atomics.load(ctrl, CTRL.BUFFER));
    const msg = receiveMessageOnPort(init.port)?.message as TilesMessage | undefined;
    const threads = Atomics.load(ctrl, CTRL.THREADS);
    if (psi && msg) {
      const p = msg.program;
      const lo = chunkStart(init.index, threads, p.tiles);
      const hi = chunkStart(init.index + 1, threads, p.tiles);
      if (hi > lo) tiles.run(psi, p, lo, hi);
    }
  }
  Atomics.add(ctrl, CTRL.DONE, 1);
  Atomics.notify(ctrl, CTRL.DONE);
}
