// Hostile blocks, run for real under bubblewrap and cgroups: each is contained and reported with a clear error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MamlError } from '../../src/shared/index.js';
import { executorFor, taskSpec } from '../../src/runtime/index.js';
import type { TaskLimits, TaskResult } from '../../src/runtime/index.js';
import { NEEDS_BWRAP, NEEDS_CGROUPS, withHostTools } from '../helpers/tools.js';

const skip = NEEDS_BWRAP;

async function run(
  lang: string,
  source: string,
  limits: Partial<TaskLimits> = {},
  network = false,
): Promise<TaskResult> {
  const executor = executorFor(lang);
  assert.ok(executor);
  return executor.run(taskSpec({ blockId: 'hostile', lang, source, limits, permissions: { network } }), {});
}

async function failure(promise: Promise<unknown>): Promise<MamlError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof MamlError, String(error));
    return error;
  }
  assert.fail('the hostile block succeeded');
}

function hostCanConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, timeout: 1000 }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
    socket.on('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

test('a block cannot open a network connection without permissions.network', { skip }, async (t) => {
  // A listener on the host proves the connection would work from outside the sandbox.
  const { createServer } = await import('node:net');
  const server = createServer((s) => s.on('error', () => undefined).end('secret'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  const port = (server.address() as { port: number }).port;
  assert.equal(await hostCanConnect(port), true);
  const source = `import socket\nsocket.create_connection(("127.0.0.1", ${port}), timeout=2)\n`;
  const error = await failure(run('python', source));
  assert.equal(error.code, 'block_failed');
  assert.match(error.message, /(ConnectionRefused|Network is unreachable|OSError|timed out)/);
});

test('a block cannot read files outside its scratch directory', { skip }, async (t) => {
  const home = mkdtempSync(join(tmpdir(), 'fake-home-'));
  t.after(() => rmSync(home, { recursive: true, force: true }));
  const secret = join(home, '.maml', 'keyring.json');
  writeFileSync(join(home, 'secret.txt'), 'do not read');
  assert.equal(readFileSync(join(home, 'secret.txt'), 'utf8'), 'do not read');
  const error = await failure(run('python', `print(open(${JSON.stringify(join(home, 'secret.txt'))}).read())`));
  assert.match(error.message, /FileNotFoundError|No such file/);
  const home2 = await failure(run('bash', `cat ${JSON.stringify(secret)} ${process.env['HOME'] ?? '/root'}/.bashrc`));
  assert.match(home2.message, /No such file/);
});

test('the system is read-only and /tmp is the only writable place', { skip }, async () => {
  const result = await run(
    'bash',
    'echo ok > /tmp/f && maml_output tmp "$(cat /tmp/f)"; if touch /usr/x 2>/dev/null; then maml_output usr 1; else maml_output usr 0; fi',
  );
  assert.deepEqual(result.outputs, { tmp: 'ok', usr: 0 });
});

test('a fork bomb is contained by the process limit', { skip: skip || NEEDS_CGROUPS }, async () => {
  const error = await failure(run('bash', ':(){ :|:& };: ; sleep 10', { pidsLimit: 32, timeoutMs: 3000 }));
  assert.equal(error.code, 'resource_limit');
  assert.match(error.message, /more than 32 processes/);
});

test('a memory bomb is killed at the memory limit', { skip: skip || NEEDS_CGROUPS }, async () => {
  const source = 'x = []\nwhile True:\n    x.append(bytearray(10_000_000))\n';
  const error = await failure(run('python', source, { memoryLimitBytes: 128 * 1024 * 1024, timeoutMs: 20_000 }));
  assert.equal(error.code, 'resource_limit');
  assert.match(error.message, /memory limit of 128 MiB/);
});

test('an infinite loop is killed at the timeout, with the processes it started', { skip }, async () => {
  const marker = String(31_000 + Math.floor(Math.random() * 999));
  const error = await failure(run('bash', `sleep ${marker} & while :; do :; done`, { timeoutMs: 1000 }));
  assert.equal(error.code, 'timeout');
  assert.match(error.message, /1000 ms timeout/);
  const survivors = readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(`sleep\u0000${marker}`);
      } catch {
        return false;
      }
    });
  assert.deepEqual(survivors, []);
});

test('100 MiB of output is truncated at the output limit with a marker', { skip }, async () => {
  const source = 'import sys\nchunk = "x" * (1 << 20)\nfor _ in range(100):\n    sys.stdout.write(chunk)\n';
  const result = await run('python', source);
  assert.equal(result.truncated, true);
  assert.ok(result.stdout.length < 1.1 * 2 ** 20, `kept ${result.stdout.length} bytes`);
  assert.match(result.stdout, /\[maml: output truncated at 1048576 bytes; 103809024 more bytes dropped\]/);
});

test('without bubblewrap untrusted code is refused unless unsafeNoSandbox', async (t) => {
  withHostTools(t, { bwrap: '/nonexistent/bwrap' });
  const executor = executorFor('bash');
  assert.ok(executor);
  const error = await failure(executor.run(taskSpec({ blockId: 'b', lang: 'bash', source: 'echo hi' }), {}));
  assert.equal(error.code, 'missing_tool');
  assert.match(error.message, /apt-get install bubblewrap/);
  const result = await executor.run(
    taskSpec({ blockId: 'b', lang: 'bash', source: 'maml_output x 1', unsafeNoSandbox: true }),
    {},
  );
  assert.deepEqual(result.outputs, { x: 1 });
  assert.equal(result.sandboxed, false);
});
