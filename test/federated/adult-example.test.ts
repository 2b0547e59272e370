// examples/federated-adult.maml.md on a small slice of the UCI Adult data (the example reads its data from the
// path given as input): two rounds of secure aggregation over three clients (each with the whole slice: the
// age bands of a 1,500-row slice are too small to learn from) train a classifier that beats
// always answering "<=50K" on the held-out slice. Outside the sandbox, because the sandbox mounts no host data
// path yet (docs/federated.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useRuntimeFixture } from '../helpers/runtime-fixture.js';
import { needTool } from '../helpers/tools.js';
import { ROOT } from '../helpers/paths.js';
import { parse } from '../../src/format/index.js';
import { headsOf, planFederated, planRun, runFederated } from '../../src/runtime/index.js';
import { which } from '../../src/runtime/executors/interpreter.js';
import type { FederatedRoundData } from '../../src/runtime/index.js';

// The data set sits beside the repository (../shared/data/adult), or beside the folder of worktrees.
const DATA = [join(ROOT, '..', 'shared', 'data', 'adult'), join(ROOT, '..', '..', 'shared', 'data', 'adult')].find(
  (d) => existsSync(join(d, 'adult.data')),
);
const skip = needTool(
  which('python3') === undefined
    ? 'python3 is not installed'
    : DATA === undefined
      ? 'the UCI Adult data is not at ../shared/data/adult'
      : false,
);
const rt = useRuntimeFixture('ai:2');

function slice(): string {
  const dir = mkdtempSync(join(tmpdir(), 'maml-adult-'));
  const head = (file: string, lines: number): string =>
    readFileSync(join(DATA ?? '', file), 'utf8')
      .split('\n')
      .slice(0, lines)
      .join('\n');
  writeFileSync(join(dir, 'adult.data'), head('adult.data', 1500));
  writeFileSync(join(dir, 'adult.test'), head('adult.test', 400));
  return dir;
}

test('the Adult example trains a better-than-majority classifier on a slice', { skip }, async () => {
  const text = readFileSync(join(ROOT, 'examples', 'federated-adult.maml.md'), 'utf8')
    .replace('rounds: 20', 'rounds: 2')
    .replace('clients: 10', 'clients: 3')
    .replace('min_clients: 5', 'min_clients: 3');
  const doc = parse(text);
  const dir = slice();
  const planned = planRun(
    doc,
    { inputs: { data_dir: dir, local_epochs: 3, split: 'all' } },
    {
      unsafeNoSandbox: true,
      sandbox: { problem: null, networkProblem: null },
      heads: headsOf([{ headClass: 'ai', count: 2 }]),
    },
  );
  assert.ok(planned.ok, JSON.stringify(planned));
  const fed = planFederated(doc, planned.plan);
  assert.ok(fed.ok, JSON.stringify(fed));
  const rounds: FederatedRoundData[] = [];
  const report = await runFederated(planned.plan, fed.plan, {
    store: rt.store,
    pool: rt.pool,
    subscribers: [(e) => (e.type === 'federated_round' ? rounds.push(e.data) : undefined)],
  });
  assert.equal(report.status, 'succeeded', JSON.stringify(report.error));
  assert.equal(rounds.length, 2);
  assert.equal(rounds[0]?.included.length, 3);
  // The majority class (<=50K) is 76% of adult.test; the model must do better after two rounds.
  const positives = readFileSync(join(dir, 'adult.test'), 'utf8')
    .split('\n')
    .filter((l) => l.includes('>50K')).length;
  const majority = 1 - positives / 399;
  assert.ok((rounds[1]?.accuracy ?? 0) > majority, `accuracy ${rounds[1]?.accuracy} vs majority ${majority}`);
});
