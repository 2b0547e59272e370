/**
 * `maml mcp` answers the handshake while its runtime opens (src/cli/mcp-startup.ts): the handshake goes through at
 * once, every other message waits, in order, until the runtime is open, and the tools never see a runtime that is
 * not there. End to end over stdio: test/server/mcp-stdio.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { deferRuntime } from '../../src/cli/mcp-startup.js';
import { serializeError } from '../../src/shared/index.js';
import { CLI, ROOT } from '../helpers/paths.js';

/** A transport whose incoming messages the test sends by hand. */
function fakeTransport(): Transport & { receive(message: JSONRPCMessage): void; sent: JSONRPCMessage[] } {
  const sent: JSONRPCMessage[] = [];
  const transport = {
    sent,
    start: () => Promise.resolve(),
    send: (message: JSONRPCMessage) => {
      sent.push(message);
      return Promise.resolve();
    },
    close: () => {
      transport.onclose?.();
      return Promise.resolve();
    },
    receive: (message: JSONRPCMessage) => transport.onmessage?.(message),
  } as Transport & { receive(message: JSONRPCMessage): void; sent: JSONRPCMessage[] };
  return transport;
}

function deferred<T>(): { promise: Promise<T>; resolve(value: T): void; reject(error: Error): void } {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const request = (id: number, method: string): JSONRPCMessage => ({ jsonrpc: '2.0', id, method, params: {} });
const notification = (method: string): JSONRPCMessage => ({ jsonrpc: '2.0', method });
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

interface FakeServices {
  readonly name: string;
  count(): number;
}

test('the handshake is delivered at once; other messages wait for the runtime, in order', async () => {
  const inner = fakeTransport();
  const opening = deferred<FakeServices>();
  const { transport, services } = deferRuntime(inner, opening.promise);
  const delivered: string[] = [];
  transport.onmessage = (message) => {
    const m = message as { method?: string; id?: number };
    delivered.push(`${m.method ?? 'response'}${m.id === undefined ? '' : `#${m.id}`}`);
    // What a tool handler does: it may use the services once its message is delivered.
    if (m.method === 'tools/call') assert.equal(services.count(), 7);
  };
  await transport.start();
  inner.receive(request(1, 'initialize'));
  inner.receive(notification('notifications/initialized'));
  inner.receive(request(2, 'ping'));
  inner.receive(request(3, 'tools/call'));
  // Held behind tools/call, although a ping alone would pass: nothing overtakes a held message.
  inner.receive(request(4, 'ping'));
  inner.receive(notification('notifications/cancelled'));
  await settle();
  assert.deepEqual(delivered, ['initialize#1', 'notifications/initialized', 'ping#2']);
  assert.throws(
    () => services.name,
    (error: unknown) => serializeError(error).code === 'unavailable',
  );

  let calls = 0;
  opening.resolve({
    name: 'runtime',
    count() {
      calls++;
      return this === undefined ? -1 : 7;
    },
  });
  await settle();
  assert.deepEqual(delivered, [
    'initialize#1',
    'notifications/initialized',
    'ping#2',
    'tools/call#3',
    'ping#4',
    'notifications/cancelled',
  ]);
  assert.equal(calls, 1);
  assert.equal(services.name, 'runtime');
  inner.receive(request(5, 'tools/list'));
  await settle();
  assert.equal(delivered.at(-1), 'tools/list#5');
});

test('answers, errors and closing pass through the wrapper', async () => {
  const inner = fakeTransport();
  const { transport } = deferRuntime(inner, Promise.resolve({}));
  const events: string[] = [];
  transport.onclose = () => events.push('close');
  transport.onerror = (error) => events.push(`error ${error.message}`);
  await transport.send({ jsonrpc: '2.0', id: 1, result: {} });
  assert.deepEqual(inner.sent, [{ jsonrpc: '2.0', id: 1, result: {} }]);
  inner.onerror?.(new Error('broken pipe'));
  await transport.close();
  assert.deepEqual(events, ['error broken pipe', 'close']);
});

test('a handler that throws is reported as a transport error and later messages still arrive', async () => {
  const inner = fakeTransport();
  const { transport } = deferRuntime(inner, Promise.resolve({}));
  const delivered: number[] = [];
  const errors: string[] = [];
  transport.onerror = (error) => errors.push(error.message);
  transport.onmessage = (message) => {
    const id = (message as { id: number }).id;
    if (id === 1) throw new Error('handler failed');
    delivered.push(id);
  };
  inner.receive(request(1, 'tools/call'));
  inner.receive(request(2, 'tools/call'));
  await settle();
  assert.deepEqual(errors, ['handler failed']);
  assert.deepEqual(delivered, [2]);
});

test('when the runtime fails to open, held messages are never delivered', async () => {
  const inner = fakeTransport();
  const opening = deferred<FakeServices>();
  const { transport } = deferRuntime(inner, opening.promise);
  const delivered: string[] = [];
  transport.onmessage = (message) => delivered.push((message as { method: string }).method);
  inner.receive(request(1, 'initialize'));
  inner.receive(request(2, 'tools/call'));
  opening.reject(new Error('database locked'));
  await assert.rejects(opening.promise, /database locked/);
  await settle();
  inner.receive(request(3, 'tools/list'));
  await settle();
  assert.deepEqual(delivered, ['initialize']);
});

test('maml mcp reports a runtime that cannot open and exits, with the client still connected', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'maml-mcp-open-'));
  const notADirectory = join(dir, 'file');
  writeFileSync(notADirectory, 'x');
  const child = spawn(process.execPath, [CLI, 'mcp', '--state-dir', notADirectory], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: '', MAML_KEYRING: join(dir, 'keyring'), MAML_KEY_PASSPHRASE: '' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stdout.resume();
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.write(
    `${JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'test', version: '0' } },
    })}\n`,
  );
  // stdin stays open: the process must end on its own. The guard only turns a hang into a failure.
  const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(guard);
  child.stdin.destroy();
  assert.equal(code, 1, stderr);
  assert.match(stderr, /maml mcp: .*EEXIST/);
});
