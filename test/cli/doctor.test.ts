// `maml doctor` reports what blocks need, with the command that fixes what is missing, as text and JSON.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../helpers/run-cli.js';
import { NEEDS_BWRAP } from '../helpers/tools.js';

interface Report {
  readonly ok: boolean;
  readonly checks: readonly { name: string; status: string; detail: string; fix?: string; required: boolean }[];
}

test('a configured Python that does not exist is missing, required, with its fix; exit 1', () => {
  const r = runCli(['doctor', '--no-gpu', '--json'], { env: { MAML_PYTHON: '/nonexistent/python3.99' } });
  assert.equal(r.code, 1, r.stderr);
  const report = JSON.parse(r.stdout) as Report;
  assert.equal(report.ok, false);
  const python = report.checks.find((c) => c.name.includes('MAML_PYTHON'));
  assert.equal(python?.status, 'missing');
  assert.equal(python?.required, true);
  assert.match(python?.fix ?? '', /apt-get install python3/);
  assert.ok(report.checks.some((c) => c.name === 'database'));
});

test(
  'the default report names the interpreter blocks use, numpy and torch, bubblewrap and the database',
  { skip: NEEDS_BWRAP },
  () => {
    const r = runCli(['doctor', '--no-gpu', '--json'], { env: { DATABASE_URL: '' } });
    const report = JSON.parse(r.stdout) as Report;
    const python = report.checks.find((c) => c.required && c.name.startsWith('python'));
    assert.equal(python?.status, 'ok');
    assert.match(python?.detail ?? '', /\(blocks use this one\); numpy \S+, torch \S+/);
    for (const c of report.checks.filter((x) => x.status !== 'ok')) assert.ok(c.fix, `${c.name} has no fix`);
    assert.equal(report.checks.find((c) => c.name === 'bubblewrap')?.status, 'ok');
    assert.equal(r.code, report.ok ? 0 : 1);
    const text = runCli(['doctor', '--no-gpu'], { env: { DATABASE_URL: '' } });
    assert.match(text.stdout, /^ok {6}bubblewrap: /m);
  },
);
