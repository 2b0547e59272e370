/**
 * Lets `maml mcp` answer `initialize` before its runtime (database, heads, keys) is open, so that a client that
 * spawns it is not kept waiting for the embedded database to start. The transport lets the handshake through at
 * once and holds every other message, in arrival order, until the runtime is open; the services the tools see are
 * bound before the first held message is delivered, so no tool runs against a runtime that is not there.
 */
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage, MessageExtraInfo } from '@modelcontextprotocol/sdk/types.js';
import { MamlError } from '../shared/errors.js';

/** What a server answers without its runtime: the handshake and pings. */
const BEFORE_OPEN: ReadonlySet<string> = new Set(['initialize', 'notifications/initialized', 'ping']);

export interface DeferredRuntime<T extends object> {
  /** Wraps `inner`, holding messages other than the handshake until the runtime is open. */
  readonly transport: Transport;
  /** Forwards to the opened runtime; reading it before then throws (the transport makes sure no tool does). */
  readonly services: T;
}

/**
 * `opening` is the runtime being opened. If it fails, held messages are never delivered: the caller awaits
 * `opening` itself, reports the failure and closes the transport.
 */
export function deferRuntime<T extends object>(inner: Transport, opening: Promise<T>): DeferredRuntime<T> {
  let value: T | undefined;
  const bound = opening.then((v) => {
    value = v;
  });
  bound.catch(() => undefined);
  // Set once a message has been held; every later message queues behind it, so none overtakes another.
  let queue: Promise<void> | undefined;
  const deliver = (message: JSONRPCMessage, extra?: MessageExtraInfo): void => {
    try {
      transport.onmessage?.(message, extra);
    } catch (error) {
      transport.onerror?.(error instanceof Error ? error : new Error(String(error)));
    }
  };
  const transport: Transport = {
    start: () => inner.start(),
    send: (message, options) => inner.send(message, options),
    close: () => inner.close(),
    setProtocolVersion: (version) => inner.setProtocolVersion?.(version),
  };
  inner.onclose = () => transport.onclose?.();
  inner.onerror = (error) => transport.onerror?.(error);
  inner.onmessage = (message, extra) => {
    const method = 'method' in message ? message.method : undefined;
    if (queue === undefined && method !== undefined && BEFORE_OPEN.has(method)) {
      deliver(message, extra);
      return;
    }
    queue = (queue ?? bound).then(() => deliver(message, extra));
    queue.catch(() => undefined);
  };
  const services = new Proxy({} as T, {
    get(_target, key) {
      if (value === undefined) throw new MamlError('unavailable', 'the MCP server runtime is not open yet');
      const field: unknown = Reflect.get(value, key, value);
      return typeof field === 'function' ? (field as (...args: unknown[]) => unknown).bind(value) : field;
    },
  });
  return { transport, services };
}
