// OpenQASM blocks through the runtime: the project's engine, inputs bound by name, shots and seed settings,
// counts flowing to a downstream block, and program errors placed at their document line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NEEDS_BWRAP, useRuntimeFixture } from '../helpers/runtime-fixture.js';
import { parse } from '../../src/format/index.js';
import { MamlError } from '../../src/shared/index.js';
import { executorFor, runWorkflow, taskSpec } from '../../src/runtime/index.js';
import type { Executor } from '../../src/runtime/index.js';
import { requireWebGpu } from '../quantum-gpu/gpu-available.js';

const noSandbox = NEEDS_BWRAP;

const qasm = executorFor('qasm') as Executor;

const rt = useRuntimeFixture('quantum:1,ai:1');

function documentText(body: string): string {
  return `---\nmaml_version: "1.0"\nid: "urn:uuid:11111111-2222-4333-8444-555555555555"\ntype: workflow\norigin: "agent://test"\n---\n\n## Intent\n\nTest.\n\n## Code_Blocks\n\n${body}`;
}

const RY = [
  'OPENQASM 3.0;',
  'include "stdgates.inc";',
  'input float[64] theta;',
  'qubit q;',
  'bit c;',
  'ry(theta) q;',
  'c = measure q;',
].join('\n');

test(
  'a workflow passes OpenQASM counts to JavaScript: P(1) after ry(θ) is sin²(θ/2)',
  { skip: noSandbox },
  async () => {
    const text = documentText(
      '```qasm {#circuit shots=4000 seed=11}\n' +
        RY +
        '\n```\n\n' +
        '```javascript {#stats needs=circuit}\n' +
        'const counts = maml.inputs.counts;\n' +
        'const total = Object.values(counts).reduce((a, b) => a + b, 0);\n' +
        "maml.output('total', total);\n" +
        "maml.output('p1', (counts['1'] ?? 0) / total);\n" +
        '```\n',
    );
    const theta = 1.2;
    const report = await runWorkflow({ doc: parse(text), pool: rt.pool, store: rt.store, inputs: { theta } });
    assert.equal(report.status, 'succeeded', JSON.stringify(report.error));
    assert.equal(report.outputs['total'], 4000);
    const p = Math.sin(theta / 2) ** 2;
    const sigma = Math.sqrt((p * (1 - p)) / 4000);
    assert.ok(Math.abs((report.outputs['p1'] as number) - p) < 5 * sigma, `p1 ${String(report.outputs['p1'])}`);
    assert.equal(report.blocks.find((b) => b.id === 'circuit')?.head?.startsWith('quantum'), true);
  },
);

test('an OpenQASM error known before it runs refuses the document at its document line', async () => {
  const bad = 'OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[2] q;\nh q[0];\nfoo q[1];\n';
  const text = documentText('```qasm {#broken}\n' + bad + '```\n');
  const documentLine = text.split('\n').indexOf('foo q[1];') + 1;
  assert.ok(documentLine > 5);
  await assert.rejects(runWorkflow({ doc: parse(text), pool: rt.pool, store: rt.store }), (error: MamlError) => {
    const diagnostics = error.details?.['diagnostics'] as { code: string; line: number; column: number }[];
    assert.equal(error.code, 'invalid_document');
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.line, d.column]),
      [['undefined_gate', documentLine, 1]],
    );
    return true;
  });
});

test('an OpenQASM error that depends on an input fails the block with document line:col and the block line', async () => {
  const bad = 'OPENQASM 3.0;\ninclude "stdgates.inc";\ninput int n;\nqubit[2] q;\nh q[0];\nx q[n];\n';
  const text = documentText('```qasm {#broken}\n' + bad + '```\n');
  const documentLine = text.split('\n').indexOf('x q[n];') + 1;
  assert.ok(documentLine > 6);
  const report = await runWorkflow({ doc: parse(text), pool: rt.pool, store: rt.store, inputs: { n: 5 } });
  assert.equal(report.status, 'failed');
  const block = report.blocks.find((b) => b.id === 'broken');
  assert.equal(block?.status, 'failed');
  assert.equal(block.error?.code, 'block_failed');
  const message = block.error?.message ?? '';
  assert.match(message, /^block broken: the OpenQASM program has 1 error: /);
  assert.ok(message.includes(`line ${documentLine}:5 (block line 6) index_out_of_range`), message);
  const diagnostics = block.error?.details?.['diagnostics'] as { line: number; blockLine: number; code: string }[];
  assert.deepEqual(
    diagnostics.map((d) => [d.code, d.line, d.blockLine]),
    [['index_out_of_range', documentLine, 6]],
  );
});

function run(source: string, inputs: Record<string, unknown>, attributes: Record<string, string> = {}) {
  return qasm.run(taskSpec({ blockId: 'q', lang: 'qasm', source, inputs, attributes }), {});
}

const BELL = 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\ncreg c[2];\nh q[0];\ncx q[0],q[1];\nmeasure q -> c;';

test('shots: the attribute wins over a `shots` input, which wins over the default 1024', async () => {
  const total = (outputs: Readonly<Record<string, unknown>>): number =>
    Object.values(outputs['counts'] as Record<string, number>).reduce((a, b) => a + b, 0);
  assert.equal(total((await run(BELL, {})).outputs), 1024);
  assert.equal(total((await run(BELL, { shots: 300 })).outputs), 300);
  assert.equal(total((await run(BELL, { shots: 300 }, { shots: '70' })).outputs), 70);
  await assert.rejects(run(BELL, { shots: 2.5 }), (e: unknown) => e instanceof MamlError && /shots/.test(e.message));
});

test('seed: an attribute or a `seed` input makes the counts repeat; probabilities only when asked', async () => {
  const a = await run(RY, { theta: 1.9, seed: 42 }, { shots: '500' });
  const b = await run(RY, { theta: 1.9, seed: 42 }, { shots: '500' });
  assert.deepEqual(a.outputs['counts'], b.outputs['counts']);
  const c = await run(RY, { theta: 1.9 }, { shots: '500', seed: '42' });
  assert.deepEqual(c.outputs['counts'], a.outputs['counts']);
  assert.equal(a.outputs['probabilities'], undefined);
  const withP = await run(RY, { theta: 1.9 }, { shots: '0', probabilities: 'true' });
  const p = withP.outputs['probabilities'] as Record<string, number>;
  assert.ok(Math.abs((p['1'] ?? 0) - Math.sin(1.9 / 2) ** 2) < 1e-12);
});

test('backend and precision attributes choose the simulator; bad values are block errors', async () => {
  for (const attributes of [{ backend: 'mps' }, { backend: 'statevector', precision: '64' }, { backend: 'auto' }]) {
    const r = await run(RY, { theta: Math.PI }, { ...attributes, shots: '50' });
    assert.deepEqual(r.outputs['counts'], { '1': 50 }, JSON.stringify(attributes));
  }
  await assert.rejects(
    run(RY, { theta: 1 }, { backend: 'gpu' }),
    /backend=gpu must be one of statevector, mps, webgpu, auto/,
  );
  await assert.rejects(run(RY, {}), /theta/);
});

test(
  'backend=webgpu runs a block on the GPU (lavapipe here) in complex64',
  { skip: !requireWebGpu && 'set MAML_REQUIRE_WEBGPU=1 where a WebGPU adapter is installed' },
  async () => {
    const r = await run(BELL, {}, { backend: 'webgpu', shots: '400', seed: '5', probabilities: 'true' });
    const counts = r.outputs['counts'] as Record<string, number>;
    assert.deepEqual(Object.keys(counts).sort(), ['00', '11']);
    const p = r.outputs['probabilities'] as Record<string, number>;
    // complex64: exact to about 1e-7, not to 1e-15.
    assert.ok(Math.abs((p['00'] ?? 0) - 0.5) < 1e-6 && Math.abs((p['11'] ?? 0) - 0.5) < 1e-6, JSON.stringify(p));
  },
);
