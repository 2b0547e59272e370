/**
 * Graceful shutdown: closing the gateway stops new runs, and a run still going when the grace period ends is
 * cancelled — its running block killed — and recorded as such (never left `running`); its unstarted blocks are
 * skipped.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openServices } from '../../src/server/index.js';
import { processesWith, sleepMarker, untilProcessWith } from '../helpers/processes.js';
import { SLOW_WORKFLOW, markdown, startGateway } from './harness.js';

test('a run in flight at shutdown is killed and recorded as cancelled once the grace period is over', async () => {
  const services = await openServices({ heads: [{ headClass: 'ai', count: 1 }] });
  try {
    const gw = await startGateway({ services, shutdownGraceMs: 0 });
    const marker = sleepMarker();
    const { status, body } = await gw.json<Record<string, unknown>>(
      '/v1/runs',
      markdown(SLOW_WORKFLOW.replace('sleep 2', `sleep ${marker}`)),
    );
    assert.equal(status, 202);
    const id = body['id'] as string;
    await untilProcessWith(marker);
    await gw.gateway.close();
    assert.deepEqual(processesWith(marker), []);
    const stored = await services.store.getRun(id);
    assert.equal(stored?.run.status, 'cancelled');
    assert.equal((stored?.run.error as { code?: string }).code, 'cancelled');
    assert.match(String((stored?.run.error as { message?: string }).message), /shut down/);
    assert.equal(stored?.blocks.find((b) => b.blockId === 'wait')?.status, 'cancelled');
    assert.equal(stored?.blocks.find((b) => b.blockId === 'after')?.status, 'skipped');
    await assert.rejects(services.runs.submit({ text: SLOW_WORKFLOW, identity: 'agent://late' }), /shutting down/);
  } finally {
    await services.close(0);
  }
});
