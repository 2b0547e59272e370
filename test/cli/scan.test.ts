// `maml scan` through the CLI: exit status follows the threshold, JSON output carries the score and findings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { FIXTURES } from '../scan/fixtures.js';
import { runCli } from './capture.js';

test('an attack fixture exits 1 with positioned findings; a benign one exits 0', async () => {
  const bad = await runCli(['scan', join(FIXTURES, 'attack', 'ssh-exfil.maml.md')]);
  assert.equal(bad.code, 1);
  assert.match(bad.stdout, /ssh-exfil\.maml\.md:\d+:\d+ error credential_access/);
  const good = await runCli(['scan', join(FIXTURES, 'benign', 'weather-fetch.maml.md'), '--json']);
  assert.equal(good.code, 0);
  const json = JSON.parse(good.stdout) as { score: number; flagged: boolean };
  assert.deepEqual([json.score, json.flagged], [0, false]);
});

test('--threshold changes the verdict; a bad threshold is a usage error', async () => {
  const file = join(FIXTURES, 'benign', 'git-revision.maml.md');
  assert.equal((await runCli(['scan', file, '--threshold', '10'])).code, 1);
  assert.equal((await runCli(['scan', file, '--threshold', 'lots'])).code, 2);
});
