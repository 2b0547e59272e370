// `maml.quantum` from real sandboxed Python and JavaScript blocks: values against analytic results, batches,
// errors a block can catch by code, the permission that forbids calls, hostile blocks (raw garbage, a huge
// request, a flood it never reads), and the calls recorded in the block's signed ticket.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeTicket, TransparencyLog } from '../../src/crypto/index.js';
import { parse } from '../../src/format/index.js';
import {
  AUDIT_LOG_ORIGIN,
  DatabaseLogStore,
  EXECUTORS,
  compileExecutorTools,
  ephemeralHeadSigners,
  executorFor,
  runWorkflow,
  taskSpec,
  ticketIssuer,
} from '../../src/runtime/index.js';
import type { TaskPermissions, TaskResult } from '../../src/runtime/index.js';
import { NEEDS_BWRAP, useRuntimeFixture } from '../helpers/runtime-fixture.js';

const skip = NEEDS_BWRAP;
const tools = compileExecutorTools(EXECUTORS, process.env);
const RY =
  'OPENQASM 3.0; include "stdgates.inc"; input float theta; qubit[2] q; bit[2] c; ry(theta) q[0]; cx q[0], q[1]; c = measure q;';

async function block(
  lang: string,
  source: string,
  options: { permissions?: TaskPermissions; timeoutMs?: number } = {},
): Promise<TaskResult> {
  const executor = executorFor(lang);
  assert.ok(executor);
  return executor.run(
    taskSpec({
      blockId: 'b',
      lang,
      source,
      ...(options.permissions ? { permissions: options.permissions } : {}),
      limits: { timeoutMs: options.timeoutMs ?? 30_000 },
    }),
    { tools },
  );
}

test('a Python block runs, measures expectations and gradients, in single and batch form', { skip }, async () => {
  const result = await block(
    'python',
    `import math
q = ${JSON.stringify(RY)}
maml.output("counts", maml.quantum.run(q, {"theta": math.pi}, shots=64, seed=3))
maml.output("e", maml.quantum.expectation(q, "0.5*Z0 Z1 - 0.2*X0", {"theta": 0.4}))
maml.output("list", maml.quantum.expectation(q, ["Z0", {"Z1": 2}], {"theta": 0.4}))
value, grad = maml.quantum.gradient(q, "Z0", {"theta": 0.4})
maml.output("g", [value, grad["theta"]])
maml.output("batch", maml.quantum.expectation_batch(q, "Z0", [{"theta": t} for t in (0.0, math.pi / 2, math.pi)]))
maml.output("gbatch", [g["theta"] for _, g in maml.quantum.gradient_batch(q, "Z0", [{"theta": 0.1}, {"theta": 0.2}])])
maml.output("runs", maml.quantum.run_batch(q, [{"theta": 0.0}, {"theta": math.pi}], shots=8))
`,
  );
  const o = result.outputs as Record<string, unknown>;
  assert.deepEqual(o['counts'], { '11': 64 });
  assert.ok(Math.abs((o['e'] as number) - 0.5) < 1e-12, 'Z0 Z1 = 1 and X0 = 0 on cos|00> + sin|11>');
  const list = o['list'] as number[];
  assert.ok(
    Math.abs((list[0] ?? NaN) - Math.cos(0.4)) < 1e-12 && Math.abs((list[1] ?? NaN) - 2 * Math.cos(0.4)) < 1e-12,
  );
  const [value, grad] = o['g'] as [number, number];
  assert.ok(Math.abs(value - Math.cos(0.4)) < 1e-12 && Math.abs(grad + Math.sin(0.4)) < 1e-12);
  (o['batch'] as number[]).forEach((v, k) => assert.ok(Math.abs(v - Math.cos((k * Math.PI) / 2)) < 1e-12));
  (o['gbatch'] as number[]).forEach((g, k) => assert.ok(Math.abs(g + Math.sin(0.1 * (k + 1))) < 1e-12));
  assert.deepEqual(o['runs'], [{ '00': 8 }, { '11': 8 }]);
  assert.equal(result.quantum?.calls, 11, '1 + 1 + 1 + 1 + 3 + 2 + 2 evaluations');
  assert.ok((result.quantum?.simulatorMs ?? -1) >= 0);
});

test('a JavaScript block awaits the same calls, concurrently, and catches errors by code', { skip }, async () => {
  const result = await block(
    'javascript',
    `const q = ${JSON.stringify(RY)};
const [e, g] = await Promise.all([
  maml.quantum.expectation(q, 'Z0', { bindings: { theta: 0.4 } }),
  maml.quantum.gradient(q, ['Z0', 'Z0 Z1'], { bindings: { theta: 0.4 } }),
]);
maml.output('e', e);
maml.output('g', g);
maml.output('batch', await maml.quantum.runBatch(q, [{ theta: 0 }, { theta: Math.PI }], { shots: 4 }));
const codes = [];
for (const bad of [() => maml.quantum.run('OPENQASM 3.0; qubit[40] q;'), () => maml.quantum.expectation(q, 'Z0 +', { bindings: { theta: 1 } }), () => maml.quantum.run(q)]) {
  try { await bad(); codes.push('none'); } catch (error) { codes.push(error.code + ': ' + error.message); }
}
maml.output('codes', codes);
`,
  );
  const o = result.outputs as Record<string, unknown>;
  assert.ok(Math.abs((o['e'] as number) - Math.cos(0.4)) < 1e-12);
  const g = o['g'] as { value: number[]; gradient: Record<string, number>[] };
  assert.ok(Math.abs((g.gradient[0]?.['theta'] ?? NaN) + Math.sin(0.4)) < 1e-12);
  assert.ok(Math.abs((g.value[1] ?? NaN) - 1) < 1e-12);
  assert.deepEqual(o['batch'], [{ '00': 4 }, { '11': 4 }]);
  const codes = o['codes'] as string[];
  assert.match(codes[0] ?? '', /^limit_exceeded: the program declares 40 qubits; this block may simulate at most 24/);
  assert.match(codes[1] ?? '', /^invalid_observable: the observable at column 5/);
  assert.match(codes[2] ?? '', /^invalid_program: .*theta/);
});

test('embedding helpers from Python and JavaScript give programs the engine runs', { skip }, async () => {
  const py = await block(
    'python',
    `enc = maml.quantum.amplitude_encoding([3, 0, 0, 4])
maml.output("qubits", enc["qubits"])
maml.output("z1", maml.quantum.expectation(enc["qasm"], "Z1"))
ang = maml.quantum.angle_encoding([0.0, 3.141592653589793])
maml.output("z", maml.quantum.expectation(ang["qasm"], ["Z0", "Z1"]))
try:
    maml.quantum.amplitude_encoding([0, 0])
except maml.QuantumError as e:
    maml.output("zero", e.code)`,
  );
  assert.equal(py.outputs['qubits'], 2);
  // |ψ⟩ = 0.6|00⟩ + 0.8|11⟩ (index 3 = q1 q0 = 11): ⟨Z1⟩ = 0.36 − 0.64.
  assert.ok(Math.abs((py.outputs['z1'] as number) + 0.28) < 1e-12);
  const z = py.outputs['z'] as number[];
  assert.ok(Math.abs((z[0] ?? NaN) - 1) < 1e-12 && Math.abs((z[1] ?? NaN) + 1) < 1e-12);
  assert.equal(py.outputs['zero'], 'invalid_request');
  const js = await block(
    'javascript',
    `const enc = await maml.quantum.angleEncoding([Math.PI, 0, Math.PI], { rotation: 'rx' });
maml.output('counts', await maml.quantum.run(enc.qasm + '\\nbit[3] c;\\nc = measure q;', { shots: 5 }));`,
  );
  assert.deepEqual(js.outputs['counts'], { '101': 5 });
});

test('permissions.quantum false: no channel, and the helpers say why', { skip }, async () => {
  const permissions: TaskPermissions = { network: false, quantum: false };
  const py = await block(
    'python',
    `try:\n    maml.quantum.run("OPENQASM 3.0; qubit q;")\nexcept maml.QuantumError as e:\n    maml.output("e", [e.code, str(e)])`,
    { permissions },
  );
  assert.deepEqual(py.outputs['e'], [
    'unavailable',
    "maml.quantum is not available to this block: the document's permissions.quantum is false",
  ]);
  const js = await block(
    'javascript',
    `try { await maml.quantum.run('OPENQASM 3.0; qubit q;'); } catch (e) { maml.output('e', e.code); }`,
    { permissions },
  );
  assert.equal(js.outputs['e'], 'unavailable');
  assert.equal(js.quantum, undefined);
});

test('the call limit of the permission holds inside a block', { skip }, async () => {
  const result = await block(
    'python',
    `q = ${JSON.stringify(RY)}
done = 0
try:
    for _ in range(10):
        maml.quantum.expectation(q, "Z0", {"theta": 0.1})
        done += 1
except maml.QuantumError as e:
    maml.output("e", e.code)
maml.output("done", done)`,
    { permissions: { network: false, quantum: { calls: 4 } } },
  );
  assert.deepEqual(result.outputs, { e: 'limit_exceeded', done: 4 });
  assert.equal(result.quantum?.calls, 4);
});

test('hostile blocks: raw garbage on the channel, a request over the size limit', { skip }, async () => {
  const result = await block(
    'python',
    `import os, json
fd = int(os.environ["MAML_QUANTUM_FD"])
os.write(fd, b"\\x00\\xff not json\\n")
reply = b""
while not reply.endswith(b"\\n"):
    reply += os.read(fd, 4096)
maml.output("garbage", json.loads(reply)["error"]["code"])
maml.output("after", maml.quantum.expectation(${JSON.stringify(RY)}, "Z0", {"theta": 0.0}))
try:
    maml.quantum.run("OPENQASM 3.0; qubit q; // " + "x" * (5 * 1024 * 1024))
except maml.QuantumError as e:
    maml.output("huge", e.code)
try:
    maml.quantum.run("OPENQASM 3.0; qubit q;")
except maml.QuantumError as e:
    maml.output("then", e.code)`,
  );
  assert.deepEqual(result.outputs, {
    garbage: 'invalid_request',
    after: 1,
    huge: 'request_too_large',
    then: 'unavailable',
  });
});

test('a block flooding the channel without reading blocks only itself, until its timeout', { skip }, async () => {
  await assert.rejects(
    block(
      'python',
      `import os, json
fd = int(os.environ["MAML_QUANTUM_FD"])
line = (json.dumps({"id": 1, "op": "run", "qasm": "OPENQASM 3.0; include \\"stdgates.inc\\"; qubit[10] q; bit[10] c; h q; c = measure q;", "shots": 1000}) + "\\n").encode()
while True:
    os.write(fd, line)`,
      { timeoutMs: 2000 },
    ),
    (error: Error & { code?: string }) => error.code === 'timeout',
  );
});

const rt = useRuntimeFixture('ai:1');

test("a block's calls are counted in its signed ticket", { skip }, async () => {
  const doc = parse(
    `---\nmaml_version: "1.0"\nid: "urn:uuid:11111111-2222-4333-8444-555555555556"\ntype: workflow\norigin: "agent://test"\npermissions:\n  quantum:\n    calls: 100\n    qubits: 4\n---\n\n## Intent\n\nTest.\n\n## Code_Blocks\n\n\`\`\`python {#vqe}\nq = ${JSON.stringify(RY)}\nfor t in range(5):\n    maml.quantum.gradient(q, "Z0", {"theta": t / 10})\nmaml.output("n", 5)\n\`\`\`\n\n\`\`\`python {#plain}\nmaml.output("m", 1)\n\`\`\`\n`,
  );
  const log = await TransparencyLog.open(new DatabaseLogStore(rt.db), AUDIT_LOG_ORIGIN);
  const report = await runWorkflow({
    doc,
    pool: rt.pool,
    store: rt.store,
    tickets: ticketIssuer(rt.db, ephemeralHeadSigners(), log),
  });
  assert.equal(report.status, 'succeeded', JSON.stringify(report.blocks.map((b) => b.error)));
  const rows = await rt.db.query('SELECT block_id, compact FROM maml.tickets WHERE run_id = $1 ORDER BY block_id', [
    report.runId,
  ]);
  const byBlock = new Map(rows.rows.map((r) => [String(r['block_id']), decodeTicket(String(r['compact']))]));
  const vqe = byBlock.get('vqe');
  assert.ok(vqe?.ok && vqe.ticket.v === 2);
  assert.equal(vqe.ticket.quantum?.calls, 5);
  const plain = byBlock.get('plain');
  assert.ok(plain?.ok && plain.ticket.v === 2);
  assert.equal(plain.ticket.quantum, undefined, 'a block without calls has no quantum field');
});
