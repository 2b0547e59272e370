// qasm_simulate runs on a quantum head, not on the gateway's event loop: while a long circuit simulates, the
// gateway answers another tool call; program errors come back with their diagnostics.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MCP_TOOLS,
  openServices,
  type GatewayServices,
  type McpTool,
  type ToolContext,
} from '../../src/server/index.js';
import { MamlError } from '../../src/shared/index.js';
import { compileRunLimits } from '../../src/runtime/index.js';

const DOCUMENT =
  '---\nmaml_version: "1.0"\nid: "urn:uuid:11111111-2222-4333-8444-555555555555"\ntype: workflow\norigin: "agent://test"\n---\n\n## Intent\n\nTest.\n';

const tool = (name: string): McpTool => {
  const found = MCP_TOOLS.find((t) => t.name === name);
  assert.ok(found, name);
  return found;
};
const qasmSimulateTool = tool('qasm_simulate');

const toolContext = (services: GatewayServices): ToolContext => ({
  services,
  principal: { subject: 'agent://test', scopes: new Set(['maml:validate']) },
  progressToken: undefined,
  notify: () => Promise.resolve(),
  signal: new AbortController().signal,
});
const mamlValidateTool = tool('maml_validate');

/** Seconds of simulation: `iterations` rounds of eight gates on 16 qubits. */
const long = (iterations: number): string =>
  `OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[16] q;\nbit[16] c;\nfor int i in [0:${iterations}] {\n  h q[0]; cx q[0], q[5]; rx(0.1) q[3]; cx q[3], q[9]; h q[12]; cx q[12], q[1]; t q[7]; cx q[7], q[15];\n}\nc = measure q;\n`;

test('qasm_simulate runs on a quantum head: the gateway answers another call while it simulates', async () => {
  const services = await openServices({ heads: [{ headClass: 'quantum', count: 1 }] });
  try {
    const ctx = toolContext(services);
    const order: string[] = [];
    const simulation = qasmSimulateTool.run(ctx, { source: long(1000), shots: 10, seed: 1 }).then((r) => {
      order.push('simulate');
      return r as { counts: Record<string, number>; shots: number; head: string };
    });
    // Asked after the simulation started; on the event loop it could only answer once the simulation was done.
    await mamlValidateTool.run(ctx, { document: DOCUMENT });
    order.push('validate');
    const result = await simulation;
    assert.deepEqual(order, ['validate', 'simulate']);
    assert.equal(result.shots, 10);
    assert.equal(
      Object.values(result.counts).reduce((a, b) => a + b, 0),
      10,
    );
    assert.match(result.head, /^quantum/);

    // A program error is the tool's error, with the diagnostic's place.
    await assert.rejects(
      qasmSimulateTool.run(ctx, { source: 'OPENQASM 3.0;\nqubit q;\nfoo q;\n' }),
      (e: unknown) => e instanceof MamlError && /foo/.test(e.message) && Array.isArray(e.details?.['diagnostics']),
    );
  } finally {
    await services.close(1000);
  }
});

test("qasm_simulate is bound by the operator's caps, like a block", async () => {
  const services = await openServices({
    heads: [{ headClass: 'quantum', count: 1 }],
    limits: compileRunLimits({ max_shots: '100' }),
  });
  try {
    const ctx = toolContext(services);
    const bell =
      'OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[2] q;\nbit[2] c;\nh q[0];\ncx q[0], q[1];\nc = measure q;\n';
    await assert.rejects(
      qasmSimulateTool.run(ctx, { source: bell, shots: 101 }),
      (e: unknown) => e instanceof MamlError && e.code === 'usage' && /--max-shots/.test(e.message),
    );
    const ok = (await qasmSimulateTool.run(ctx, { source: bell, shots: 100, seed: 3 })) as { shots: number };
    assert.equal(ok.shots, 100);
  } finally {
    await services.close(1000);
  }
});
