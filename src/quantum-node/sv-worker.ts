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

const pause = new Int32Array(new SharedArrayBuffer(4));
/** Longest wait for a message posted before its command. */
const MESSAGE_WAIT_MS = 30_000;

/**
 * The message posted on this worker's port before the current command. It is posted first, but on a loaded
 * machine it can reach this thread after the command does: wait for it rather than skip the share.
 */
function nextMessage(): unknown {
  const deadline = Date.now() + MESSAGE_WAIT_MS;
  for (;;) {
    const m = receiveMessageOnPort(init.port);
    if (m) return m.message;
    if (Date.now() >= deadline) return undefined;
    Atomics.wait(pause, 0, 0, 1);
  }
}

parentPort?.postMessage('ready');
let generation = 0;
for (;;) {
  Atomics.wait(ctrl, CTRL.GENERATION, generation);
  generation = Atomics.load(ctrl, CTRL.GENERATION);
  const command = Atomics.load(ctrl, CTRL.COMMAND);
  if (command === COMMAND.exit) break;
  if (command === COMMAND.register) {
    const msg = nextMessage() as RegisterMessage | undefined;
    if (msg) {
      buffers.set(msg.id, msg.precision === 64 ? new Float32Array(msg.buffer) : new Float64Array(msg.buffer));
    } else Atomics.store(ctrl, CTRL.FAILED, 1);
  } else if (command === COMMAND.drop) {
    buffers.delete(Atomics.load(ctrl, CTRL.BUFFER));
  } else if (command === COMMAND.run) {
    const psi = buffers.get(Atomics.load(ctrl, CTRL.BUFFER));
    const op = decodeOp(ints, values);
    const threads = Atomics.load(ctrl, CTRL.THREADS);
    const lo = chunkStart(init.index, threads, op.bases);
    const hi = chunkStart(init.index + 1, threads, op.bases);
    if (!psi) Atomics.store(ctrl, CTRL.FAILED, 1);
    else if (hi > lo) applyCompiled(psi, op, lo, hi, scratch);
  } else if (command === COMMAND.tiles) {
    const psi = buffers.get(Atomics.load(ctrl, CTRL.BUFFER));
    const msg = nextMessage() as TilesMessage | undefined;
    const threads = Atomics.load(ctrl, CTRL.THREADS);
    if (!psi || !msg) Atomics.store(ctrl, CTRL.FAILED, 1);
    else {
      const p = msg.program;
      const lo = chunkStart(init.index, threads, p.tiles);
      const hi = chunkStart(init.index + 1, threads, p.tiles);
      if (hi > lo) tiles.run(psi, p, lo, hi);
    }
  }
  Atomics.add(ctrl, CTRL.DONE, 1);
  Atomics.notify(ctrl, CTRL.DONE);
}
