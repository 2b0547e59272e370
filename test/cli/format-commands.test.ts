import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMMANDS } from '../../src/cli/index.js';
import { FIXTURES } from '../helpers/paths.js';
import { runCli } from '../helpers/run-cli.js';
import { runCli as runInProcess } from './capture.js';

test('validate: exit 0 on the examples, 1 with errors, 2 on usage errors', () => {
  assert.equal(runCli(['validate', 'examples']).code, 0);
  const bad = runCli(['validate', join(FIXTURES, 'invalid/cycle.maml.md')]);
  assert.equal(bad.code, 1);
  assert.match(
    bad.stdout,
    /cycle\.maml\.md:18:1 error dependency_cycle The blocks depend on each other in a cycle: x -> y -> z -> x/,
  );
  assert.equal(runCli(['validate']).code, 2);
  assert.equal(runCli(['validate', 'x.maml.md', '--profile', 'loose']).code, 2);
  assert.equal(runCli(['validate', '--bogus', 'examples']).code, 2);
  const missing = runCli(['validate', 'does-not-exist.maml.md']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /no such file/);
});

test('validate --json has the documented shape', () => {
  const r = runCli([
    'validate',
    '--json',
    join(FIXTURES, 'invalid/blocks.maml.md'),
    join(FIXTURES, 'valid/minimal.maml.md'),
  ]);
  assert.equal(r.code, 1);
  const json = JSON.parse(r.stdout) as {
    files: { path: string; ok: boolean; diagnostics: Record<string, unknown>[] }[];
  };
  assert.equal(json.files.length, 2);
  assert.equal(json.files[0]?.ok, false);
  assert.equal(json.files[1]?.ok, true);
  const first = json.files[0]?.diagnostics[0];
  assert.deepEqual(Object.keys(first ?? {}).slice(0, 5), ['code', 'severity', 'message', 'line', 'column']);
  assert.equal(first?.['code'], 'duplicate_block_id');
});

test('validate --profile strict rejects the lenient dialect', () => {
  const file = join(FIXTURES, 'dialects/seed-dialect.maml.md');
  assert.equal(runCli(['validate', file]).code, 0);
  const strict = runCli(['validate', file, '--profile', 'strict']);
  assert.equal(strict.code, 1);
  assert.match(strict.stdout, /legacy_dialect/);
});

test('validate reads standard input with -', () => {
  const text = readFileSync(join(FIXTURES, 'valid/minimal.maml.md'), 'utf8');
  assert.equal(runCli(['validate', '-'], { input: text }).code, 0);
});

test('inspect --json gives blocks and execution order as stages', () => {
  const r = runCli(['inspect', '--json', join(FIXTURES, 'valid/dag.maml.md')]);
  assert.equal(r.code, 0, r.stderr);
  const json = JSON.parse(r.stdout) as {
    order: string[][];
    blocks: { id: string; lang: string; line: number; needs: string[] }[];
  };
  assert.deepEqual(json.order, [['prep'], ['left', 'right'], ['join']]);
  assert.deepEqual(
    json.blocks.map((b) => [b.id, b.lang, b.line, b.needs]),
    [
      ['prep', 'python', 14, []],
      ['left', 'python', 18, ['prep']],
      ['right', 'javascript', 22, ['prep']],
      ['join', 'sh', 26, ['left', 'right']],
    ],
  );
});

test('fmt --check, --write and idempotence', () => {
  const dir = mkdtempSync(join(tmpdir(), 'maml-fmt-'));
  const file = join(dir, 'seed.maml.md');
  copyFileSync(join(FIXTURES, 'dialects/seed-dialect.maml.md'), file);
  assert.equal(runCli(['fmt', '--check', file]).code, 1);
  const printed = runCli(['fmt', file]);
  assert.equal(printed.code, 0);
  assert.equal(
    readFileSync(file, 'utf8'),
    readFileSync(join(FIXTURES, 'dialects/seed-dialect.maml.md'), 'utf8'),
    'printing does not write',
  );
  runCli(['fmt', '--write', file]);
  assert.equal(readFileSync(file, 'utf8'), printed.stdout);
  assert.equal(runCli(['fmt', '--check', file]).code, 0);
  assert.equal(runCli(['fmt', '--check', '--write', file]).code, 2);
});

test('fmt leaves a document it cannot read untouched', () => {
  const dir = mkdtempSync(join(tmpdir(), 'maml-fmt-'));
  const file = join(dir, 'broken.maml.md');
  writeFileSync(file, '---\nid: [unclosed\n---\n');
  const r = runCli(['fmt', '--write', file]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /not formatted/);
  assert.equal(readFileSync(file, 'utf8'), '---\nid: [unclosed\n---\n');
});

// In-process, since spawning `maml <command> --help` per command costs a process start each; the built binary's
// --help is exercised by test/cli/lazy-commands.test.ts.
test('every command has --help; --version prints the package version', async () => {
  for (const command of COMMANDS) {
    const r = await runInProcess([command.name, '--help']);
    assert.equal(r.code, 0, command.name);
    assert.match(r.stdout, new RegExp(`Usage:\\s+maml ${command.name}`));
  }
  const version = runCli(['--version']);
  assert.match(version.stdout.trim(), /^\d+\.\d+\.\d+$/);
  const unknown = runCli(['valdate']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /Did you mean `validate`/);
});

// The escape character that starts an ANSI colour sequence.
const ESC = /\u001b\[/; // eslint-disable-line no-control-regex

test('no colour codes when output is not a terminal', () => {
  const r = runCli(['validate', join(FIXTURES, 'invalid/cycle.maml.md')]);
  assert.doesNotMatch(r.stdout + r.stderr, ESC);
  const forced = runCli(['validate', join(FIXTURES, 'invalid/cycle.maml.md')], {
    env: { NO_COLOR: '', FORCE_COLOR: '1' },
  });
  assert.match(forced.stdout, ESC);
});

test('validate <dir> says how many other files it passed over, and what a directory without documents holds', () => {
  const dir = mkdtempSync(join(tmpdir(), 'maml-skip-'));
  copyFileSync(join(FIXTURES, 'valid/minimal.maml.md'), join(dir, 'a.maml.md'));
  writeFileSync(join(dir, 'notes.md'), '# notes\n');
  writeFileSync(join(dir, 'data.txt'), 'x\n');
  writeFileSync(join(dir, 'old.md'), '# old\n');
  writeFileSync(join(dir, '.hidden.md'), 'x\n');
  for (const quiet of ['.git', 'node_modules']) {
    mkdirSync(join(dir, quiet));
    writeFileSync(join(dir, quiet, 'x.md'), 'x\n');
  }
  const r = runCli(['validate', dir]);
  assert.equal(r.code, 0);
  assert.match(
    r.stderr,
    /skipped 3 other files: 2 \.md, 1 \.txt \(directories are searched for \*\.maml\.md and \*\.maml\.markdown/,
  );
  const json = runCli(['validate', '--json', dir]);
  assert.equal((JSON.parse(json.stdout) as { files: unknown[] }).files.length, 1);
  assert.match(json.stderr, /skipped 3 other files/);
  assert.doesNotMatch(runCli(['validate', '--quiet', dir]).stderr, /skipped/);
  const none = mkdtempSync(join(tmpdir(), 'maml-none-'));
  writeFileSync(join(none, 'readme.md'), '# x\n');
  const empty = runCli(['validate', none]);
  assert.equal(empty.code, 2);
  assert.match(empty.stderr, /no \*\.maml\.md or \*\.maml\.markdown files in this directory \(1 other file: 1 \.md\)/);
});

test('validate reports an encrypted document as an error that says to decrypt it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'maml-enc-validate-'));
  const file = join(dir, 'secret.maml.md');
  writeFileSync(
    file,
    '---\nmaml_version: "1.0"\nencryption: aes-512\n---\n-----BEGIN MAML ENCRYPTED BODY-----\nTUFNTEVOQzEAAAA=\n-----END MAML ENCRYPTED BODY-----\n',
  );
  const r = runCli(['validate', file]);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /secret\.maml\.md:5:1 error encrypted_document .*maml decrypt FILE -o OUT/);
  assert.match(r.stdout, /secret\.maml\.md:3:13 warning aes_key_size_impossible/);
});

test('validate checks OpenQASM blocks and reports an undefined gate at its line and column', () => {
  const dir = mkdtempSync(join(tmpdir(), 'maml-qasm-validate-'));
  const file = join(dir, 'bell.maml.md');
  writeFileSync(
    file,
    '---\nmaml_version: "1.0"\n---\n\n## Code_Blocks\n\n```qasm {#bell}\nOPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\n  hadamard q[0];\n```\n',
  );
  const r = runCli(['validate', file]);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /bell\.maml\.md:11:3 error undefined_gate OpenQASM block `bell`: /);
});
