// The network of a sandboxed block: none without permissions.network; with it, its own namespace connected by
// slirp4netns that cannot reach the services on the host's loopback (the run database among them).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { MamlError } from '../../src/shared/index.js';
import { executorFor, taskSpec } from '../../src/runtime/index.js';
import { NEEDS_BWRAP } from '../helpers/runtime-fixture.js';
import { networkProbe, runBash } from './sandbox-attacks.js';
import { withHostTools } from '../helpers/tools.js';

const isRoot = process.getuid?.() === 0;

/** A listener on the host's loopback, counting connections: it proves what a connection from outside would do. */
async function hostListener(t: {
  after: (fn: () => void) => void;
}): Promise<{ port: number; connections: () => number }> {
  let connections = 0;
  const server = createServer((socket) => {
    connections++;
    socket.on('error', () => undefined).end('secret');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  return { port: (server.address() as { port: number }).port, connections: () => connections };
}

test('a block without permissions.network has no network at all', { skip: NEEDS_BWRAP }, async (t) => {
  const { port, connections } = await hostListener(t);
  const result = await runBash(networkProbe(port));
  assert.ok('outputs' in result, JSON.stringify(result));
  assert.deepEqual(result.outputs['interfaces'], ['lo']);
  assert.equal(result.outputs['default_route'], false);
  assert.equal(result.outputs['host_loopback'], 'refused');
  assert.equal(result.outputs['host_alias'], 'refused');
  assert.equal(connections(), 0);
});

test(
  'a block granted the network gets its own namespace and cannot reach the host loopback',
  { skip: NEEDS_BWRAP },
  async (t) => {
    const { port, connections } = await hostListener(t);
    const result = await runBash(networkProbe(port), true);
    if ('error' in result) {
      // slirp4netns needs /dev/net/tun, and without root it must be usable by the gateway's user; where it is
      // not, the block is refused with the reason instead of falling back to the host network.
      assert.ok(!isRoot || !existsSync('/dev/net/tun'), result.error);
      assert.match(result.error, /could not be connected \(slirp4netns/);
    } else {
      assert.deepEqual(result.outputs['interfaces'], ['lo', 'tap0']);
      assert.equal(result.outputs['default_route'], true);
      assert.match(String(result.outputs['resolv']), /nameserver 10\.0\.2\.3/);
      assert.equal(result.outputs['host_loopback'], 'refused');
      assert.equal(result.outputs['host_alias'], 'refused');
      assert.equal(result.outputs['postgres'], 'refused');
      assert.equal(result.outputs['own_loopback_postgres'], 'refused');
    }
    assert.equal(connections(), 0, 'a block reached the listener on the host loopback');
  },
);

test(
  'without slirp4netns a network-granted block fails with the install hint; others still run',
  { skip: NEEDS_BWRAP },
  async (t) => {
    withHostTools(t, { slirp4netns: '/nonexistent/slirp4netns' });
    const executor = executorFor('bash');
    assert.ok(executor);
    await assert.rejects(
      executor.run(taskSpec({ blockId: 'net', lang: 'bash', source: 'echo ran', permissions: { network: true } }), {}),
      (error: unknown) => {
        assert.ok(error instanceof MamlError);
        assert.equal(error.code, 'missing_tool');
        assert.match(error.message, /apt-get install slirp4netns/);
        return true;
      },
    );
    const offline = await executor.run(taskSpec({ blockId: 'off', lang: 'bash', source: 'maml_output ran 1' }), {});
    assert.deepEqual(offline.outputs, { ran: 1 });
  },
);
