// The OpenQASM block checker reads the simulator attributes against the Node backend registry: an unknown backend
// is an error at the attribute in the opening fence, before anything runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse, validate } from '../../src/format/index.js';
import { BLOCK_CHECKERS } from '../../src/runtime/index.js';

const BELL =
  'OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[2] q;\nbit[2] c;\nh q[0];\ncx q[0], q[1];\nc = measure q;\n';

function documentWith(fence: string): string {
  return `---\nmaml_version: "1.0"\nid: "urn:uuid:11111111-2222-4333-8444-555555555555"\ntype: workflow\norigin: "agent://test"\n---\n\n## Intent\n\nTest.\n\n## Code_Blocks\n\n${fence}\n${BELL}\`\`\`\n`;
}

function check(fence: string) {
  const text = documentWith(fence);
  const fenceLine = text.split('\n').indexOf(fence) + 1;
  const diagnostics = validate(parse(text), { blockCheckers: BLOCK_CHECKERS });
  return { diagnostics, fenceLine };
}

test('an unknown backend= is an error at the attribute, listing the backends', () => {
  const fence = '```qasm {#bell shots=10 backend=gpu}';
  const { diagnostics, fenceLine } = check(fence);
  const d = diagnostics.find((x) => x.code === 'unknown_backend');
  assert.ok(d, JSON.stringify(diagnostics));
  assert.equal(d.severity, 'error');
  assert.equal(d.line, fenceLine);
  assert.equal(d.column, fence.indexOf('backend=') + 1);
  assert.equal(d.end?.column, fence.indexOf('}') + 1);
  assert.match(d.message, /backend=gpu .*statevector, mps, webgpu, auto/);
});

test('every registered backend is accepted; a precision it does not offer is a warning', () => {
  for (const name of ['statevector', 'mps', 'webgpu', 'auto']) {
    const { diagnostics } = check(`\`\`\`qasm {#bell backend=${name}}`);
    assert.deepEqual(
      diagnostics.filter((d) => d.severity === 'error'),
      [],
      name,
    );
  }
  const { diagnostics } = check('```qasm {#bell backend=webgpu precision=128}');
  const w = diagnostics.find((d) => d.code === 'precision_not_offered');
  assert.equal(w?.severity, 'warning');
  assert.match(w?.message ?? '', /complex64/);
  const bad = check('```qasm {#bell precision=32}').diagnostics.find((d) => d.code === 'invalid_precision');
  assert.equal(bad?.severity, 'error');
});
