// A Python block written for Qiskit (the seed documents' `from qiskit import QuantumCircuit, Aer, execute`) gets a
// validate warning at its import line and, when run without Qiskit, fails saying how to write the circuit instead.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse, validateDocument } from '../../src/format/index.js';
import { EXECUTORS, compileExecutorTools, executorFor, taskSpec } from '../../src/runtime/index.js';
import { resolvePython } from '../../src/runtime/executors/interpreter.js';
import { NEEDS_BWRAP } from '../helpers/tools.js';

const BLOCK = 'import math\n   from qiskit import QuantumCircuit, Aer, execute\nqc = QuantumCircuit(2)\n';

test('validate warns at the Qiskit import, with the line and column, and points at qasm blocks and maml.quantum', () => {
  const text = `---\nmaml_version: "1.0"\nid: "urn:uuid:11111111-2222-4333-8444-555555555557"\ntype: workflow\norigin: "agent://test"\n---\n\n## Intent\n\nTest.\n\n## Code_Blocks\n\n\`\`\`python {#legacy}\n${BLOCK}\`\`\`\n`;
  const diagnostics = validateDocument(parse(text)).diagnostics.filter((d) => d.code === 'qiskit_import');
  assert.equal(diagnostics.length, 1);
  const [d] = diagnostics;
  assert.equal(d?.severity, 'warning');
  assert.equal(d?.line, 16);
  assert.equal(d?.column, 4);
  assert.match(d?.message ?? '', /removed in Qiskit 1\.0.*```qasm block.*maml\.quantum\.run/);
  const plain = text.replace('from qiskit import QuantumCircuit, Aer, execute', 'import json');
  assert.equal(validateDocument(parse(plain)).diagnostics.filter((x) => x.code === 'qiskit_import').length, 0);
});

const hasQiskit =
  resolvePython() !== undefined &&
  (await import('node:child_process')).spawnSync('python3', ['-c', 'import qiskit']).status === 0;

test(
  'running it without Qiskit fails missing_tool with the same advice',
  { skip: NEEDS_BWRAP || (hasQiskit && 'Qiskit is installed here') },
  async () => {
    const executor = executorFor('python');
    assert.ok(executor);
    await assert.rejects(
      executor.run(taskSpec({ blockId: 'legacy', lang: 'python', source: BLOCK.replace('   from', 'from') }), {
        tools: compileExecutorTools(EXECUTORS, process.env),
      }),
      (error: Error & { code?: string }) =>
        error.code === 'missing_tool' && /Qiskit 1\.0.*```qasm block.*maml\.quantum\.run/.test(error.message),
    );
  },
);
