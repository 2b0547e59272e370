/**
 * The head's end of one block's quantum-call channel. Reads request lines (each at most `maxRequestBytes`),
 * answers them one at a time in order, counts every circuit evaluation and the simulator time against the
 * block's limits, and keeps its own memory bounded whatever the block does: reading stops while a request is
 * being evaluated or while answers wait for the block to read them, so a block that floods the channel only
 * blocks itself (until its timeout). A line over the limit is answered with `request_too_large` and the channel
 * is closed; malformed requests are answered with `invalid_request` and the channel stays open.
 */
import type { Duplex } from 'node:stream';
import { amplitudeEncoding, angleEncoding } from '../../quantum/index.js';
import type { QuantumUsage } from '../task-spec.js';
import type { QuantumCallLimits } from './call-limits.js';
import type { CallError, CallReply } from './call-messages.js';
import { CallThread } from './call-thread.js';
import { readRequest } from './read-request.js';

/** Answers waiting in the head for the block to read them, beyond which reading pauses. */
const MAX_PENDING_WRITE_BYTES = 1024 * 1024;
/** Largest answer (a batch of counts of a wide register can be big); a larger one is refused. */
export const MAX_REPLY_BYTES = 64 * 1024 * 1024;
/** Request lines read ahead of the one being evaluated before reading pauses (one chunk may hold more). */
const MAX_QUEUED_LINES = 8;

export interface QuantumCallServer {
  /** Calls and simulator time so far. */
  usage(): QuantumUsage;
  /** Stops serving: the thread ends and the channel is destroyed. */
  close(): void;
}

export interface ServeOptions {
  /** Called each time evaluation stops because the block has not read its answers (with the evaluations so far). */
  readonly onHeld?: (calls: number) => void;
}

export function serveQuantumCalls(
  socket: Duplex,
  limits: QuantumCallLimits,
  options: ServeOptions = {},
): QuantumCallServer {
  const thread = new CallThread();
  let calls = 0;
  let simulatorMs = 0;
  let closed = false;
  let busy = false;
  const queue: string[] = [];
  let partial: Buffer[] = [];
  let partialBytes = 0;

  const send = (reply: CallReply): void => {
    if (closed || socket.destroyed) return;
    let text = JSON.stringify(reply);
    if (text.length > MAX_REPLY_BYTES && reply.ok)
      text = JSON.stringify({
        id: reply.id,
        ok: false,
        error: {
          code: 'limit_exceeded',
          message: `the answer would be ${Math.round(text.length / 2 ** 20)} MiB, more than the ${MAX_REPLY_BYTES / 2 ** 20} MiB a call may return; ask for fewer shots or a smaller batch`,
        },
      } satisfies CallReply);
    socket.write(`${text}\n`);
  };
  const fail = (id: number | null, error: CallError): void => send({ id, ok: false, error });

  const shutdown = (): void => {
    if (closed) return;
    closed = true;
    queue.length = 0;
    thread.stop();
    socket.destroy();
  };

  const handle = async (line: string): Promise<void> => {
    const read = readRequest(line, limits);
    if (!read.ok) return fail(read.id, read.error);
    const { request } = read;
    if (request.op === 'encode') {
      const encoded =
        request.encoding === 'angle'
          ? angleEncoding(request.features, request.rotation)
          : amplitudeEncoding(request.features);
      if (encoded.ok && encoded.value.qubits > limits.maxQubits)
        return fail(request.id, {
          code: 'limit_exceeded',
          message: `the encoding needs ${encoded.value.qubits} qubits; this block may simulate at most ${limits.maxQubits}`,
        });
      return encoded.ok
        ? send({ id: request.id, ok: true, results: [encoded.value] })
        : fail(request.id, { code: 'invalid_request', message: `${request.encoding} encoding: ${encoded.message}` });
    }
    if (calls + request.bindings.length > limits.maxCalls)
      return fail(request.id, {
        code: 'limit_exceeded',
        message: `this call would make ${calls + request.bindings.length} circuit evaluations; the block may make ${limits.maxCalls} (permissions.quantum.calls)`,
      });
    const left = limits.maxTimeMs - simulatorMs;
    if (left <= 0)
      return fail(request.id, {
        code: 'limit_exceeded',
        message: `the block has used its ${limits.maxTimeMs} ms of simulator time (permissions.quantum.time)`,
      });
    calls += request.bindings.length;
    const outcome = await thread.evaluate(request, limits, left);
    switch (outcome.kind) {
      case 'done':
        simulatorMs += outcome.ms;
        return outcome.outcome.ok
          ? send({ id: request.id, ok: true, results: outcome.outcome.results })
          : fail(request.id, outcome.outcome.error);
      case 'timed_out':
        simulatorMs = limits.maxTimeMs;
        return fail(request.id, {
          code: 'limit_exceeded',
          message: `the call ran past the block's remaining simulator time (${Math.round(left)} ms of ${limits.maxTimeMs} ms, permissions.quantum.time) and was stopped`,
        });
      case 'died':
        simulatorMs += outcome.ms;
        return fail(request.id, { code: 'simulation_failed', message: outcome.message });
      default: {
        const unknown: never = outcome;
        throw new Error(`unknown outcome ${JSON.stringify(unknown)}`);
      }
    }
  };

  let awaitingDrain = false;
  /**
   * Evaluates the next queued request once the block has read enough of its answers; reading from the block
   * resumes only when the queue is empty, so the head holds at most one chunk of requests and about
   * MAX_PENDING_WRITE_BYTES of answers for it.
   */
  const pump = (): void => {
    if (busy || closed || awaitingDrain) return;
    if (socket.writableLength > MAX_PENDING_WRITE_BYTES) {
      awaitingDrain = true;
      socket.pause();
      options.onHeld?.(calls);
      socket.once('drain', () => {
        awaitingDrain = false;
        pump();
      });
      return;
    }
    const line = queue.shift();
    if (line === undefined) {
      socket.resume();
      return;
    }
    busy = true;
    handle(line)
      .catch((error: unknown) =>
        fail(null, { code: 'simulation_failed', message: error instanceof Error ? error.message : String(error) }),
      )
      .finally(() => {
        busy = false;
        pump();
      });
  };

  /** Answers a line over the limit and closes the channel: the block's helper raises the error and stops. */
  const tooLarge = (): void => {
    fail(null, {
      code: 'request_too_large',
      message: `a request is longer than ${limits.maxRequestBytes} bytes; the channel is closed (send smaller programs or batches)`,
    });
    socket.end();
    closed = true;
    queue.length = 0;
    partial = [];
    thread.stop();
  };

  socket.on('data', (chunk: Buffer) => {
    if (closed) return;
    let start = 0;
    for (let nl = chunk.indexOf(10); nl >= 0; nl = chunk.indexOf(10, start)) {
      if (partialBytes + (nl - start) > limits.maxRequestBytes) return tooLarge();
      partial.push(chunk.subarray(start, nl));
      const line = Buffer.concat(partial).toString('utf8');
      partial = [];
      partialBytes = 0;
      start = nl + 1;
      if (line.trim() !== '') queue.push(line);
    }
    const rest = chunk.subarray(start);
    partialBytes += rest.length;
    if (partialBytes > limits.maxRequestBytes) return tooLarge();
    if (rest.length > 0) partial.push(rest);
    if (queue.length >= MAX_QUEUED_LINES) socket.pause();
    pump();
  });
  socket.on('error', () => undefined);
  socket.on('close', shutdown);

  return {
    usage: () => ({ calls, simulatorMs: Math.round(simulatorMs) }),
    close: shutdown,
  };
}
