/**
 * The /metrics exposition as Prometheus itself judges it: `promtool check metrics` (Debian package
 * `prometheus`) on a live scrape after some traffic, with the validation pool so its metrics are there too.
 * promtool is required: without it this test fails, it does not skip.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { ONE_BLOCK, markdown, startGateway, waitForRun, type RunningGateway } from './harness.js';

let gw: RunningGateway;

before(async () => {
  gw = await startGateway({ heads: [{ headClass: 'quantum', count: 1 }], validateThreads: 1 });
});
after(async () => {
  await gw.gateway.close();
});

test('promtool check metrics passes on a live scrape', async () => {
  const submitted = await gw.json<{ id: string }>('/v1/runs', markdown(ONE_BLOCK));
  assert.equal(submitted.status, 202);
  await waitForRun(gw, submitted.body.id);
  assert.equal((await gw.json('/v1/validate', markdown(ONE_BLOCK))).status, 200);
  assert.equal((await gw.json('/v1/nothing')).status, 404);
  const res = await gw.request('/metrics');
  assert.equal(res.status, 200);
  const text = await res.text();
  const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8', timeout: 30_000 });
  assert.ok(
    !check.error,
    `promtool is needed for this test (Debian/Ubuntu: apt-get install prometheus): ${String(check.error)}`,
  );
  assert.equal(check.status, 0, `promtool check metrics:\n${check.stdout}${check.stderr}`);
  assert.equal(`${check.stdout}${check.stderr}`.trim(), '', 'no lint findings');
  // The names docs/server.md gives, each with its type.
  for (const [name, type] of [
    ['maml_http_request_duration_seconds', 'histogram'],
    ['maml_runs_total', 'counter'],
    ['maml_runs_admitted', 'gauge'],
    ['maml_runs_refused_total', 'counter'],
    ['maml_http_connections', 'gauge'],
    ['maml_http_connections_refused_total', 'counter'],
    ['maml_validate_threads', 'gauge'],
    ['maml_process_cpu_seconds_total', 'counter'],
    ['maml_nodejs_eventloop_lag_seconds', 'gauge'],
    ['maml_nodejs_active_handles', 'gauge'],
  ])
    assert.match(text, new RegExp(`^# TYPE ${name} ${type}$`, 'm'), name);
  assert.doesNotMatch(text, /maml_process_process_|maml_process_nodejs_/);
});
