// `maml run` and `maml runs` as a user runs them: exit codes, --json shape, History written atomically.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { CLI, ROOT } from '../helpers/paths.js';
import { processesWith, sleepMarker, untilProcessWith } from '../helpers/processes.js';
import { runCli } from '../helpers/run-cli.js';
import { NEEDS_BWRAP } from '../helpers/tools.js';

const skip = NEEDS_BWRAP;

// One run database for the whole file: creating a PGlite database takes seconds.
const state = join(mkdtempSync(join(tmpdir(), 'maml-run-state-')), 'state');

function workspace(): { dir: string; env: NodeJS.ProcessEnv; quickstart: string } {
  const dir = mkdtempSync(join(tmpdir(), 'maml-run-cli-'));
  const quickstart = join(dir, 'quickstart.maml.md');
  copyFileSync(join(ROOT, 'examples/quickstart.maml.md'), quickstart);
  return { dir, env: { MAML_STATE_DIR: state, DATABASE_URL: '' }, quickstart };
}

test('maml run executes the quick start, appends [EXECUTE] to History, and runs list/show find it', { skip }, () => {
  const { dir, env, quickstart } = workspace();
  const before = readFileSync(quickstart, 'utf8');
  const r = runCli(['run', quickstart], { env });
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /verdict succeeded/);
  const after = readFileSync(quickstart, 'utf8');
  assert.ok(after.startsWith(before.trimEnd()), 'the rest of the document is untouched');
  const added = after.slice(before.trimEnd().length).trim().split('\n');
  // One signed ticket per executed block, then the run's EXECUTE line.
  assert.equal(added.length, 4);
  assert.equal(added.filter((l) => l.includes('[TICKET]')).length, 3);
  assert.match(added[3] ?? '', /^- \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ: \[EXECUTE\] run [0-9a-f-]{36} succeeded/);
  assert.deepEqual(
    readdirSync(dir).filter((f) => f.endsWith('.tmp')),
    [],
  );
  assert.equal(runCli(['validate', quickstart]).code, 0);
  const runId = /run ([0-9a-f-]{36}) succeeded/.exec(added[3] ?? '')?.[1] ?? '';
  const list = runCli(['runs', 'list'], { env });
  assert.equal(list.code, 0);
  assert.match(list.stdout, new RegExp(`${runId}\\s+succeeded`));
  const show = runCli(['runs', 'show', runId.slice(0, 8), '--json'], { env });
  assert.equal(show.code, 0, show.stderr);
  const record = JSON.parse(show.stdout) as { run: { id: string }; blocks: { blockId: string; status: string }[] };
  assert.equal(record.run.id, runId);
  assert.deepEqual(
    record.blocks.map((b) => b.status),
    ['succeeded', 'succeeded', 'succeeded'],
  );
  assert.equal(runCli(['runs', 'show', 'ffffffff'], { env }).code, 2);
});

test('maml run --json prints the documented shape; --no-write leaves the file as it was', { skip }, () => {
  const { env, quickstart } = workspace();
  const before = readFileSync(quickstart, 'utf8');
  const r = runCli(['run', quickstart, '--json', '--no-write', '--input', 'shots=64', '--heads', 'quantum:1,ai:1'], {
    env,
  });
  assert.equal(r.code, 0, r.stderr);
  const json = JSON.parse(r.stdout) as {
    runId: string;
    status: string;
    blocks: Record<string, unknown>[];
    outputs: Record<string, unknown>;
  };
  assert.equal(json.status, 'succeeded');
  assert.deepEqual(Object.keys(json.blocks[0] ?? {}), [
    'id',
    'lang',
    'head',
    'status',
    'durationMs',
    'outputs',
    'error',
  ]);
  assert.equal(json.outputs['shots'], 64);
  assert.equal(json.outputs['entangled'], true);
  assert.equal(readFileSync(quickstart, 'utf8'), before);
});

test('maml run exits 1 when a block fails and 2 for invalid documents and usage errors', { skip }, () => {
  const { dir, env } = workspace();
  const failing = join(dir, 'fail.maml.md');
  writeFileSync(
    failing,
    '---\nmaml_version: "1.0"\nid: "urn:uuid:11111111-2222-4333-8444-555555555555"\ntype: workflow\norigin: "agent://t"\n---\n\n## Intent\n\nFail.\n\n## Code_Blocks\n\n```bash {#boom}\necho kaput >&2\nexit 3\n```\n',
  );
  const failed = runCli(['run', failing, '--json', '--no-write'], { env });
  assert.equal(failed.code, 1);
  const json = JSON.parse(failed.stdout) as { status: string; blocks: { error: { message: string } }[] };
  assert.equal(json.status, 'failed');
  assert.match(json.blocks[0]?.error.message ?? '', /kaput/);
  const cycle = runCli(['run', join(ROOT, 'test/fixtures/invalid/cycle.maml.md'), '--no-write'], { env });
  assert.equal(cycle.code, 2);
  assert.match(cycle.stderr, /dependency_cycle/);
  assert.equal(runCli(['run', failing, '--heads', 'ai:zero'], { env }).code, 2);
  assert.equal(runCli(['run'], { env }).code, 2);
  const noBwrap = runCli(['run', failing, '--no-write'], { env: { ...env, MAML_BWRAP: '/nonexistent/bwrap' } });
  assert.equal(noBwrap.code, 1);
  assert.match(noBwrap.stderr, /apt-get install bubblewrap/);
  assert.match(noBwrap.stderr, /--unsafe-no-sandbox/);
});

const LIMITED = (attributes: string): string =>
  `---\nmaml_version: "1.0"\nid: "urn:uuid:11111111-2222-4333-8444-555555555555"\ntype: workflow\norigin: "agent://t"\n---\n\n## Intent\n\nWait.\n\n## Code_Blocks\n\n\`\`\`bash {#wait ${attributes}}\nsleep 1\n\`\`\`\n`;

test('operator caps from flags and .maml.yaml refuse a block before anything runs, at its line', () => {
  const { dir, env } = workspace();
  const file = join(dir, 'long.maml.md');
  writeFileSync(file, LIMITED('timeout=2h'));
  const capped = runCli(['run', file, '--no-write', '--max-timeout', '1h'], { env, cwd: dir });
  assert.equal(capped.code, 2, capped.stderr);
  assert.match(
    capped.stderr,
    /long\.maml\.md:14:1 error limit_exceeded block wait: timeout=2h is longer than the 1h this gateway allows \(its --max-timeout\); ask for at most timeout=1h/,
  );
  assert.equal(readFileSync(file, 'utf8'), LIMITED('timeout=2h'), 'nothing ran, nothing was written');
  writeFileSync(join(dir, '.maml.yaml'), 'limits:\n  max_timeout: 10m\n');
  writeFileSync(file, LIMITED('timeout=20m'));
  const fromConfig = runCli(['run', file, '--no-write'], { env, cwd: dir });
  assert.equal(fromConfig.code, 2);
  assert.match(fromConfig.stderr, /timeout=20m is longer than the 10m this gateway allows/);
  writeFileSync(join(dir, '.maml.yaml'), 'limits:\n  max_timout: 10m\n');
  const typo = runCli(['run', file, '--no-write'], { env, cwd: dir });
  assert.equal(typo.code, 2);
  assert.match(typo.stderr, /unknown key `limits\.max_timout` \(known: default_timeout, max_timeout/);
  const bad = runCli(['run', file, '--no-write', '--max-memory', 'plenty'], { env });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--max-memory: `plenty` is not a size \(e\.g\. 1GiB\)/);
  const huge = runCli(['run', file, '--no-write', '--concurrency', '1e9'], { env });
  assert.equal(huge.code, 2);
  assert.match(huge.stderr, /--concurrency must be a whole number from 1 to 256/);
});

test(
  'Ctrl-C cancels the run: the block is killed, the run recorded and written to History as cancelled',
  { skip },
  async () => {
    const { dir, env } = workspace();
    const marker = sleepMarker();
    const file = join(dir, 'wait.maml.md');
    writeFileSync(
      file,
      `---\nmaml_version: "1.0"\nid: "urn:uuid:11111111-2222-4333-8444-555555555555"\ntype: workflow\norigin: "agent://t"\n---\n\n## Intent\n\nWait.\n\n## Code_Blocks\n\n\`\`\`bash {#wait}\nsleep ${marker}\n\`\`\`\n\n\`\`\`bash {#after needs=wait}\nmaml_output done true\n\`\`\`\n`,
    );
    const child = spawn(process.execPath, [CLI, 'run', file, '--heads', 'ai:1'], {
      cwd: dir,
      env: { ...process.env, ...env, NO_COLOR: '1', MAML_KEYRING: join(dir, 'keyring') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await untilProcessWith(marker);
    child.kill('SIGINT');
    const code = await exited;
    assert.equal(code, 130, stderr);
    assert.match(stderr, /interrupted: cancelling the run/);
    assert.deepEqual(processesWith(marker), [], 'the block was killed');
    const history = readFileSync(file, 'utf8').trimEnd().split('\n').at(-1) ?? '';
    const runId = /\[EXECUTE\] run ([0-9a-f-]{36}) cancelled .*wait cancelled, after skipped/.exec(history)?.[1];
    assert.ok(runId, history);
    const show = runCli(['runs', 'show', runId, '--json'], { env });
    const record = JSON.parse(show.stdout) as {
      run: { status: string };
      blocks: { blockId: string; status: string }[];
    };
    assert.equal(record.run.status, 'cancelled');
    assert.deepEqual(record.blocks.map((b) => [b.blockId, b.status]).sort(), [
      ['after', 'skipped'],
      ['wait', 'cancelled'],
    ]);
  },
);

test(
  'maml run keeps the SQL database template in $XDG_CACHE_HOME/maml, the cache directory the CLI reads',
  { skip },
  () => {
    const { dir, env } = workspace();
    const cache = join(dir, 'cache');
    const file = join(dir, 'sql.maml.md');
    writeFileSync(
      file,
      '---\nmaml_version: "1.0"\nid: "urn:uuid:11111111-2222-4333-8444-555555555556"\ntype: workflow\norigin: "agent://test"\n---\n\n## Intent\n\nOne SQL block.\n\n## Code_Blocks\n\n```sql {#q}\nSELECT 40 + 2 AS answer\n```\n',
    );
    const r = runCli(['run', file, '--json', '--no-write'], { env: { ...env, XDG_CACHE_HOME: cache } });
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.deepEqual((JSON.parse(r.stdout) as { outputs: unknown }).outputs, { rows: [{ answer: 42 }] });
    assert.deepEqual(readdirSync(join(cache, 'maml')).filter((f) => /^sql-template-.*\.tgz$/.test(f)).length, 1);
  },
);
