// Operator caps: durations parsed once and validated, settings compiled once, every block checked against the
// caps before anything runs (with its place in the document), and the OpenQASM caps enforced on the heads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useRuntimeFixture } from '../helpers/runtime-fixture.js';
import { parse } from '../../src/format/index.js';
import { MamlError } from '../../src/shared/index.js';
import {
  DEFAULT_RUN_LIMITS,
  MAX_TIMER_MS,
  compileRunLimits,
  executorFor,
  parseDuration,
  parseSize,
  runWorkflow,
  taskLimits,
  taskSpec,
} from '../../src/runtime/index.js';
import type { Executor, RunWorkflowOptions } from '../../src/runtime/index.js';

const rt = useRuntimeFixture('quantum:1');

function doc(body: string): ReturnType<typeof parse> {
  return parse(
    `---\nmaml_version: "1.0"\nid: "urn:uuid:11111111-2222-4333-8444-555555555555"\ntype: workflow\norigin: "agent://test"\n---\n\n## Intent\n\nTest.\n\n## Code_Blocks\n\n${body}`,
  );
}

const BELL =
  'OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[2] q;\nbit[2] c;\nh q[0];\ncx q[0], q[1];\nc = measure q;\n';
const qasmBlock = (attributes: string, source = BELL): string => `\`\`\`qasm {#q ${attributes}}\n${source}\`\`\`\n`;

const run = (d: ReturnType<typeof parse>, extra: Partial<RunWorkflowOptions> = {}) =>
  runWorkflow({ doc: d, pool: rt.pool, store: rt.store, ...extra });

async function runCount(): Promise<number> {
  return Number((await rt.db.query('SELECT count(*)::int AS n FROM maml.runs', [])).rows[0]?.['n']);
}

/** The refusal's diagnostics, after checking that nothing was recorded. */
async function refused(
  promise: Promise<unknown>,
  code: string,
): Promise<{ error: MamlError; diagnostics: { code: string; line: number; message: string }[] }> {
  const before = await runCount();
  let caught: unknown;
  await promise.catch((e: unknown) => (caught = e));
  assert.ok(caught instanceof MamlError, `expected a refusal, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  assert.equal(await runCount(), before, 'nothing was recorded');
  const diagnostics = (caught.details?.['diagnostics'] ?? []) as { code: string; line: number; message: string }[];
  return { error: caught, diagnostics };
}

test('durations: whole milliseconds of at least 1, never 0 or NaN; large ones are reported as they are', () => {
  assert.equal(parseDuration('500ms'), 500);
  assert.equal(parseDuration('1.5s'), 1500);
  assert.equal(parseDuration('2m'), 120_000);
  assert.equal(parseDuration('24h'), 86_400_000);
  for (const bad of ['0', '0s', '0.2ms', '', 'abc', '-1s', '1e3s', 'NaN'])
    assert.equal(parseDuration(bad), undefined, bad);
  // Past what a timer holds: the value is kept so the caller can say how much too long it is.
  assert.ok((parseDuration('600h') ?? 0) > MAX_TIMER_MS);
});

test('operator settings compile once: defaults, sizes and durations, errors that name the setting', () => {
  assert.deepEqual(compileRunLimits({}), DEFAULT_RUN_LIMITS);
  const limits = compileRunLimits({ max_timeout: '10m', max_memory: '1GiB', max_output: '4M', max_shots: 5000 });
  assert.equal(limits.maxTimeoutMs, 600_000);
  assert.equal(limits.memoryBytes, 2 ** 30);
  assert.equal(limits.outputBytes, 4 * 2 ** 20);
  assert.equal(limits.maxShots, 5000);
  // A cap below the default timeout lowers the default with it.
  assert.equal(compileRunLimits({ max_timeout: '10s' }).defaultTimeoutMs, 10_000);
  assert.equal(parseSize('512MiB'), 512 * 2 ** 20);
  assert.equal(parseSize('12 parsecs'), undefined);
  const cases: [Parameters<typeof compileRunLimits>[0], RegExp][] = [
    [{ max_timeout: '600h' }, /--max-timeout: 600h is outside 1 ms to 596h 31m 24s/],
    [{ max_timeout: '0' }, /--max-timeout: `0` is not a duration/],
    [{ max_memory: 'lots' }, /--max-memory: `lots` is not a size/],
    [{ max_shots: '1e9' }, /--max-shots: `1e9` is not a whole number/],
    [{ max_qubits: 2000 }, /--max-qubits: 2000 is outside 1 to 1000/],
    [{ default_timeout: '2h', max_timeout: '1h' }, /--default-timeout \(2h\) is longer than --max-timeout \(1h\)/],
  ];
  for (const [settings, message] of cases)
    assert.throws(
      () => compileRunLimits(settings),
      (e: unknown) => e instanceof MamlError && e.code === 'usage' && message.test(e.message),
      JSON.stringify(settings),
    );
  assert.throws(
    () => compileRunLimits({ max_timeout: 'x' }, (key) => `limits.${key} in ./.maml.yaml`),
    /limits\.max_timeout in \.\/\.maml\.yaml: `x` is not a duration/,
  );
});

test('a timeout= longer than the cap is refused before anything runs, at the block, saying what to ask for', async () => {
  const d = doc(qasmBlock('timeout=24h'));
  const { error, diagnostics } = await refused(run(d), 'invalid_document');
  assert.match(error.message, /timeout=24h is longer than the 1h this gateway allows \(its --max-timeout\)/);
  assert.deepEqual(
    diagnostics.map((x) => [x.code, x.line]),
    [['limit_exceeded', d.blocks[0]?.line]],
  );
  assert.match(diagnostics[0]?.message ?? '', /ask for at most timeout=1h/);
  // The operator's own cap, and a timeout that would overflow a timer.
  const tight = compileRunLimits({ max_timeout: '2m' });
  await refused(run(doc(qasmBlock('timeout=5m')), { limits: tight }), 'invalid_document');
  const overflow = await refused(run(doc(qasmBlock('timeout=600h'))), 'invalid_document');
  assert.match(overflow.error.message, /timeout=600h is longer than/);
  const zero = await refused(run(doc(qasmBlock('timeout=0s'))), 'invalid_document');
  assert.match(zero.error.message, /timeout=0s is not a duration of at least 1 ms/);
});

test('every block over a cap is reported, not only the first', async () => {
  const d = doc(`${qasmBlock('timeout=3h')}\n\`\`\`qasm {#r shots=50000000}\n${BELL}\`\`\`\n`);
  const { diagnostics } = await refused(run(d), 'invalid_document');
  assert.deepEqual(
    diagnostics.map((x) => x.code),
    ['limit_exceeded', 'limit_exceeded'],
  );
  assert.match(diagnostics[1]?.message ?? '', /block r: shots=50000000 is more than the 1000000 shots/);
});

test('a document with more blocks than the cap, or a concurrency out of range, is refused', async () => {
  const three = doc([1, 2, 3].map((i) => `\`\`\`qasm {#b${i}}\n${BELL}\`\`\`\n`).join('\n'));
  const many = await refused(run(three, { limits: compileRunLimits({ max_blocks: 2 }) }), 'invalid_document');
  assert.match(many.error.message, /3 blocks to run; this gateway runs at most 2 per document \(its --max-blocks\)/);
  for (const concurrency of [0, 1e9, 1.5, Number.NaN]) {
    const { error } = await refused(run(three, { concurrency }), 'usage');
    assert.match(error.message, /concurrency must be a whole number from 1 to 256/);
  }
});

test('OpenQASM caps hold on the head too: shots from an input, qubits of the program', async () => {
  const limits = compileRunLimits({ max_shots: 100, max_qubits: 1 });
  const fromInput = await run(doc(qasmBlock('')), { limits, inputs: { shots: 5000 } });
  assert.equal(fromInput.status, 'failed');
  assert.equal(fromInput.blocks[0]?.error?.code, 'resource_limit');
  assert.match(fromInput.blocks[0]?.error?.message ?? '', /the input shots=5000 asks for more than the 100 shots/);
  const wide = await run(doc(qasmBlock('shots=10')), { limits });
  assert.equal(wide.blocks[0]?.error?.code, 'resource_limit');
  assert.match(wide.blocks[0]?.error?.message ?? '', /declares 2 qubits; this gateway simulates at most 1/);
  // Within the caps the same block runs.
  const ok = await run(doc(qasmBlock('shots=10')), { limits: compileRunLimits({ max_shots: 100 }) });
  assert.equal(ok.status, 'succeeded', JSON.stringify(ok.error));
});

test('task limits carry the caps to the executor', async () => {
  const limits = taskLimits(compileRunLimits({ max_memory: '64MiB', max_shots: 10 }), 1000);
  assert.equal(limits.memoryLimitBytes, 64 * 2 ** 20);
  const qasm = executorFor('qasm') as Executor;
  await assert.rejects(
    qasm.run(taskSpec({ blockId: 'q', lang: 'qasm', source: BELL, attributes: { shots: '11' }, limits }), {}),
    (e: unknown) =>
      e instanceof MamlError && e.code === 'resource_limit' && /shots=11 asks for more than the 10/.test(e.message),
  );
});
