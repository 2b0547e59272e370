/**
 * What executors declare beyond their language: the attributes the planner checks at the block's fence with the
 * executor's own checks (scheduler/block-limits.ts branches on no language), and the tools a head compiles once
 * from its environment and hands to each run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '../../src/format/index.js';
import type { CodeBlock } from '../../src/format/index.js';
import {
  DEFAULT_RUN_LIMITS,
  EXECUTORS,
  checkBlockLimits,
  compileExecutorTools,
  compileRunLimits,
  executorFor,
  taskSpec,
  toolFrom,
} from '../../src/runtime/index.js';
import type { Executor, ToolSpec } from '../../src/runtime/index.js';

function block(fence: string, code = 'x'): CodeBlock {
  const doc = parse(`---\nmaml_version: "1.0"\n---\n\n## Code_Blocks\n\nText.\n\n\`\`\`${fence}\n${code}\n\`\`\`\n`);
  const found = doc.blocks[0];
  assert.ok(found);
  return found;
}

test('OpenQASM attributes a run would fail on are diagnostics at the fence, all of them at once', () => {
  const b = block('qasm {#q backend=gpu-please precision=32 probabilities=maybe seed=1.5 shots=2e3}');
  const { diagnostics } = checkBlockLimits(b, DEFAULT_RUN_LIMITS);
  assert.deepEqual(
    diagnostics.map((d) => [d.code, d.line, d.message]),
    [
      ['invalid_attribute', b.line, 'block q: shots=2e3 is not a whole number (e.g. shots=1024)'],
      ['invalid_attribute', b.line, 'block q: seed=1.5 is not an integer (e.g. seed=42)'],
      ['invalid_attribute', b.line, 'block q: backend=gpu-please is not one of statevector, mps, webgpu, auto'],
      ['invalid_attribute', b.line, 'block q: precision=32 is not one of 64, 128'],
      [
        'invalid_attribute',
        b.line,
        'block q: probabilities=maybe is not a boolean; write probabilities=true or probabilities=false',
      ],
    ],
  );
  assert.ok(diagnostics.every((d) => d.ruleId === 'run-limits' && d.severity === 'error'));
});

test('valid OpenQASM attributes pass; shots above the cap do not', () => {
  const ok = block('openqasm3 {#q backend=mps precision=64 probabilities=yes seed=-7 shots=100}');
  assert.equal(ok.lang, 'qasm');
  assert.deepEqual(checkBlockLimits(ok, compileRunLimits({ max_shots: 100 })).diagnostics, []);
  const over = checkBlockLimits(ok, compileRunLimits({ max_shots: 99 })).diagnostics;
  assert.deepEqual(
    over.map((d) => d.code),
    ['limit_exceeded'],
  );
  assert.match(over[0]?.message ?? '', /block q: shots=100 is more than the 99 shots this gateway allows/);
});

test('an attribute is checked only for the executors that declare it', () => {
  // `shots=` means nothing to Python: the format reports it as unknown (info), the planner does not refuse it.
  assert.deepEqual(checkBlockLimits(block('python {#p shots=many backend=x}'), DEFAULT_RUN_LIMITS).diagnostics, []);
  // A language no executor runs has only its timeout checked.
  assert.deepEqual(checkBlockLimits(block('json {#j shots=many}'), DEFAULT_RUN_LIMITS).diagnostics, []);
});

test("the planner uses the executor's own declaration: a new executor's attribute needs no planner change", () => {
  const python = executorFor('python') as Executor;
  const withLanes: Executor = {
    ...python,
    attributes: [
      {
        name: 'lanes',
        description: 'test attribute',
        example: '2',
        check: (value, limits) =>
          Number(value) <= limits.maxBlocks
            ? undefined
            : { code: 'limit_exceeded', message: `lanes=${value} is too many` },
      },
    ],
  };
  const b = block('python {#p lanes=5000}');
  assert.deepEqual(
    checkBlockLimits(b, DEFAULT_RUN_LIMITS, withLanes).diagnostics.map((d) => d.message),
    ['block p: lanes=5000 is too many'],
  );
});

test('tools are compiled once from an environment: set ones by name, empty ones unset, others ignored', () => {
  const tools = compileExecutorTools(EXECUTORS, {
    MAML_PYTHON: '/opt/py/bin/python3',
    MAML_OCAML: '',
    MAML_QASM_ENGINE: 'file:///srv/engine.mjs',
    PATH: '/usr/bin',
  });
  assert.deepEqual({ ...tools }, { python: '/opt/py/bin/python3', 'qasm-engine': 'file:///srv/engine.mjs' });
  assert.ok(Object.isFrozen(tools));
  assert.deepEqual({ ...compileExecutorTools(EXECUTORS, {}) }, {});
});

test('a tool not configured is its fallback, and only own keys count', () => {
  const python = executorFor('python')?.needs.tools[0] as ToolSpec;
  assert.equal(toolFrom({}, python), 'python3');
  assert.equal(toolFrom({ tools: { python: '/x/python' } }, python), '/x/python');
  const proto: ToolSpec = { name: 'constructor', env: 'MAML_X', description: 'test tool' };
  assert.equal(toolFrom({ tools: {} }, proto), undefined);
});

test('the OpenQASM executor reads probabilities= as the format reads booleans', async () => {
  const qasm = executorFor('qasm') as Executor;
  const source = 'OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit q;\nbit c;\nh q;\nc = measure q;';
  for (const [value, expected] of [
    ['yes', true],
    ['On', true],
    ['false', false],
    ['0', false],
  ] as const) {
    const result = await qasm.run(
      taskSpec({ blockId: 'b', lang: 'qasm', source, attributes: { probabilities: value, shots: '4' } }),
      {},
    );
    assert.equal('probabilities' in result.outputs, expected, value);
  }
});
