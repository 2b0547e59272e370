// `maml run --resume`: a failed run continues from its committed blocks; a changed document is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { CLI, ROOT } from '../helpers/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'maml-resume-'));
const env = { MAML_STATE_DIR: join(dir, 'state'), DATABASE_URL: '' };
const flag = join(dir, 'ready');
const keyring = join(dir, 'keyring');

/** The CLI as a user runs it; opening a new embedded database is slow on a busy machine, hence the long limit. */
function runCli(
  args: readonly string[],
  options: { env: NodeJS.ProcessEnv },
): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, MAML_KEYRING: keyring, NO_COLOR: '1', FORCE_COLOR: '', ...options.env },
    timeout: 300_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

// Block `gate` fails until the file `flag` exists: the document stays the same between the two invocations.
const DOC = `---
maml_version: "1.0"
id: "urn:uuid:3d1a2b3c-4d5e-4f60-8172-839405a6b7c8"
type: workflow
origin: "agent://test"
---

## Intent

First a block that always works, then one that works once a file exists.

## Code_Blocks

\`\`\`bash {#first}
maml_output n 41
\`\`\`

\`\`\`bash {#gate needs=first}
test -f ${flag} || { echo "not ready" >&2; exit 3; }
[[ $MAML_INPUTS =~ \\"n\\":([0-9]+) ]] && maml_output answer $(( BASH_REMATCH[1] + 1 ))
\`\`\`
`;

function runId(text: string): string {
  return /run ([0-9a-f-]{36}) (?:failed|succeeded)/.exec(text)?.[1] ?? '';
}

test(
  'a failed run resumes from its committed blocks; one ticket per block; a changed document is refused',
  { timeout: 600_000 },
  () => {
    const path = join(dir, 'gate.maml.md');
    writeFileSync(path, DOC);
    const first = runCli(['run', path, '--unsafe-no-sandbox', '--heads', 'ai:1'], { env });
    assert.equal(first.code, 1, first.stdout + first.stderr);
    const id = runId(first.stdout);
    assert.ok(id, first.stdout);

    // Not the same document (a block changed): refused, nothing runs.
    const changed = join(dir, 'changed.maml.md');
    writeFileSync(changed, readFileSync(path, 'utf8').replace('maml_output n 41', 'maml_output n 40'));
    const refused = runCli(['run', changed, '--unsafe-no-sandbox', '--heads', 'ai:1', '--resume', id], { env });
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /the document is not the one run .* ran .* run this one anew without --resume/s);

    writeFileSync(flag, '');
    // The first run appended History lines: they do not count as a change.
    const resumed = runCli(
      ['run', path, '--unsafe-no-sandbox', '--heads', 'ai:1', '--resume', id.slice(0, 8), '--json'],
      {
        env,
      },
    );
    assert.equal(resumed.code, 0, resumed.stdout + resumed.stderr);
    const report = JSON.parse(resumed.stdout) as {
      runId: string;
      status: string;
      blocks: { id: string; status: string }[];
      outputs: Record<string, unknown>;
    };
    assert.equal(report.runId, id);
    assert.equal(report.status, 'succeeded');
    assert.deepEqual(report.outputs, { n: 41, answer: 42 });

    const show = runCli(['runs', 'show', id, '--json'], { env });
    const record = JSON.parse(show.stdout) as { events: { seq: number; type: string; blockId: string | null }[] };
    const seqs = record.events.map((e) => e.seq);
    assert.deepEqual(
      seqs,
      seqs.map((_, i) => i + 1),
    );
    // `first` ran once: one start, one ticket; `gate` ran twice, one ticket (the failed attempt has none).
    const count = (type: string, block: string): number =>
      record.events.filter((e) => e.type === type && e.blockId === block).length;
    assert.equal(count('block_started', 'first'), 1);
    assert.equal(count('ticket_issued', 'first'), 1);
    assert.equal(count('block_started', 'gate'), 2);
    assert.equal(count('ticket_issued', 'gate'), 1);
    assert.equal(record.events.filter((e) => e.type === 'run_resumed').length, 1);

    // A run that succeeded has nothing to resume.
    const again = runCli(['run', path, '--unsafe-no-sandbox', '--heads', 'ai:1', '--resume', id], { env });
    assert.notEqual(again.code, 0);
    assert.match(again.stderr, /succeeded: there is nothing to resume/);
    // History holds both invocations' lines: the failed run's record covers its ticket, the resumed one's both.
    const verified = runCli(['verify', path, '--run-log'], { env });
    assert.equal(verified.code, 0, verified.stdout + verified.stderr);
    assert.match(verified.stdout, /2 of 2 tickets verified, 2 of 2 run records verified/);
  },
);
