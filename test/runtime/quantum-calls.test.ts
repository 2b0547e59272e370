// The head's end of the quantum-call channel: request checks, evaluations against analytic results, the
// limits (calls, qubits, simulator time, batch, shots) and what a hostile block may send (malformed JSON, a line
// over the limit, a flood of requests it never reads the answers of), over a real Unix socket.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  evaluate,
  quantumCallLimits,
  quantumPermission,
  readRequest,
  serveQuantumCalls,
  taskSpec,
} from '../../src/runtime/index.js';
import type { CallReply, CallRequest, QuantumCallLimits, ServeOptions } from '../../src/runtime/index.js';

const RY =
  'OPENQASM 3.0; include "stdgates.inc"; input float theta; qubit[2] q; bit[2] c; ry(theta) q[0]; cx q[0], q[1]; c = measure q;';
const DEFAULT_LIMITS = quantumCallLimits(taskSpec({ blockId: 'b', lang: 'python', source: '' }));
assert.ok(DEFAULT_LIMITS);
const LIMITS: QuantumCallLimits = DEFAULT_LIMITS;

function request(fields: Partial<CallRequest> & Pick<CallRequest, 'op'>): CallRequest {
  return { id: 1, qasm: RY, bindings: [{ theta: 0.3 }], observables: [], shots: 0, ...fields };
}

test('limits come from permissions.quantum under the operator caps; false means no channel', () => {
  const base = { blockId: 'b', lang: 'python', source: '' };
  assert.equal(quantumCallLimits(taskSpec({ ...base, permissions: { network: false, quantum: false } })), undefined);
  const bounded = quantumCallLimits(
    taskSpec({
      ...base,
      permissions: { network: false, quantum: { calls: 5, qubits: 30, timeMs: 99_000_000 } },
      limits: { maxQubits: 12, timeoutMs: 10_000 },
    }),
  );
  assert.equal(bounded?.maxCalls, 5);
  assert.equal(bounded?.maxQubits, 12, "the operator's --max-qubits wins");
  assert.equal(bounded?.maxTimeMs, 10_000, 'never more simulator time than the block may run');
});

test('readRequest refuses what is not a request, saying what to send', () => {
  const bad: [string, string, number | null][] = [
    ['{', 'invalid_request', null],
    ['[]', 'invalid_request', null],
    ['{"op":"run","qasm":"x"}', 'invalid_request', null],
    ['{"id":1,"op":"teleport","qasm":"x"}', 'invalid_request', 1],
    ['{"id":2,"op":"run","qasm":""}', 'invalid_request', 2],
    ['{"id":3,"op":"run","qasm":"x","bindings":[{"theta":"a"}]}', 'invalid_request', 3],
    ['{"id":5,"op":"expectation","qasm":"x"}', 'invalid_request', 5],
    ['{"id":6,"op":"run","qasm":"x","shots":1e12}', 'limit_exceeded', 6],
    ['{"id":7,"op":"run","qasm":"x","shots":-1}', 'invalid_request', 7],
    [
      `{"id":8,"op":"run","qasm":"x","bindings":${JSON.stringify(Array(LIMITS.maxBatch + 1).fill({}))}}`,
      'limit_exceeded',
      8,
    ],
  ];
  for (const [line, code, id] of bad) {
    const read = readRequest(line, LIMITS);
    assert.equal(read.ok, false, line);
    if (read.ok) continue;
    assert.equal(read.error.code, code, `${line.slice(0, 60)}: ${read.error.message}`);
    assert.equal(read.id, id);
  }
  const good = readRequest('{"id":9,"op":"gradient","qasm":"x","observables":["Z0"],"bindings":[{"theta":1}]}', LIMITS);
  assert.ok(good.ok);
});

test('expectation and gradient of ry(θ) then cx: ⟨Z0⟩ = cos θ, ∂/∂θ = −sin θ, for a batch of angles', () => {
  const thetas = [0, 0.3, 1.2, 2.5, -0.7];
  const out = evaluate(
    request({ op: 'gradient', bindings: thetas.map((theta) => ({ theta })), observables: ['Z0', { 'Z0 Z1': 2 }] }),
    LIMITS,
  );
  assert.ok(out.ok, JSON.stringify(out));
  out.results.forEach((r, k) => {
    const theta = thetas[k] ?? NaN;
    assert.ok('gradients' in r);
    assert.ok(Math.abs((r.values[0] ?? NaN) - Math.cos(theta)) < 1e-12);
    assert.ok(Math.abs((r.values[1] ?? NaN) - 2) < 1e-12, 'Z0 Z1 is 1 on cos|00> + sin|11>');
    assert.ok(Math.abs((r.gradients[0]?.['theta'] ?? NaN) + Math.sin(theta)) < 1e-12);
    assert.ok(Math.abs(r.gradients[1]?.['theta'] ?? NaN) < 1e-12);
  });
});

test('run gives seeded counts with highest classical bit first; same seed, same counts', () => {
  const one = evaluate(request({ op: 'run', shots: 2000, seed: 5, bindings: [{ theta: Math.PI / 2 }] }), LIMITS);
  const two = evaluate(request({ op: 'run', shots: 2000, seed: 5, bindings: [{ theta: Math.PI / 2 }] }), LIMITS);
  assert.deepEqual(one, two);
  assert.ok(one.ok && one.results[0] !== undefined && 'counts' in one.results[0]);
  const counts = (one.results[0] as { counts: Record<string, number> }).counts;
  assert.deepEqual(Object.keys(counts).sort(), ['00', '11']);
  assert.ok(Math.abs((counts['11'] ?? 0) - 1000) < 150);
  // x on q[0] only, measured into c[0]: the string shows c[1] first, so "01".
  const flip = evaluate(
    request({
      op: 'run',
      shots: 10,
      qasm: 'OPENQASM 3.0; include "stdgates.inc"; qubit[2] q; bit[2] c; x q[0]; c = measure q;',
      bindings: [{}],
    }),
    LIMITS,
  );
  assert.deepEqual(flip.ok && flip.results[0], { counts: { '01': 10 } });
});

test('evaluation problems: program errors with line and column, observables, qubits over the limit', () => {
  const program = evaluate(
    request({ op: 'expectation', qasm: 'OPENQASM 3.0;\nqubit q;\nfoo q;', observables: ['Z0'] }),
    LIMITS,
  );
  assert.ok(!program.ok);
  assert.equal(program.error.code, 'invalid_program');
  assert.match(program.error.message, /3:1 /);
  const missing = evaluate(request({ op: 'expectation', bindings: [{}], observables: ['Z0'] }), LIMITS);
  assert.ok(!missing.ok);
  assert.match(missing.error.message, /theta/);
  const observable = evaluate(request({ op: 'expectation', observables: ['Z0', '0.5*'] }), LIMITS);
  assert.ok(!observable.ok);
  assert.equal(observable.error.code, 'invalid_observable');
  assert.match(observable.error.message, /observable 1 at column 5/);
  const wide = evaluate(request({ op: 'run', qasm: 'OPENQASM 3.0; qubit[30] q;', bindings: [{}] }), {
    ...LIMITS,
    maxQubits: 20,
  });
  assert.ok(!wide.ok);
  assert.equal(wide.error.code, 'limit_exceeded');
  assert.match(wide.error.message, /30 qubits.*at most 20/);
  const memory = evaluate(request({ op: 'run', qasm: 'OPENQASM 3.0; qubit[26] q;', bindings: [{}] }), {
    ...LIMITS,
    maxQubits: 30,
    memoryLimitBytes: 64 * 2 ** 20,
  });
  assert.ok(!memory.ok);
  assert.equal(memory.error.code, 'limit_exceeded');
});

/** A server on one end of a real Unix socket and a client on the other. */
async function channel(
  limits: QuantumCallLimits,
  options: ServeOptions = {},
): Promise<{
  client: Socket;
  replies: () => Promise<CallReply>;
  server: ReturnType<typeof serveQuantumCalls>;
  done: () => void;
}> {
  const dir = mkdtempSync(join(tmpdir(), 'maml-calls-'));
  const path = join(dir, 's');
  let server!: ReturnType<typeof serveQuantumCalls>;
  const listener = createServer((socket) => (server = serveQuantumCalls(socket, limits, options)));
  await new Promise<void>((resolve) => listener.listen(path, resolve));
  const client = createConnection(path);
  await new Promise<void>((resolve) => client.once('connect', resolve));
  while (!server) await new Promise((resolve) => setImmediate(resolve));
  let buffered = '';
  const queue: CallReply[] = [];
  const wakers: (() => void)[] = [];
  client.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
      queue.push(JSON.parse(buffered.slice(0, nl)) as CallReply);
      buffered = buffered.slice(nl + 1);
      wakers.shift()?.();
    }
  });
  const replies = async (): Promise<CallReply> => {
    while (queue.length === 0) await new Promise<void>((resolve) => wakers.push(resolve));
    const reply = queue.shift();
    assert.ok(reply);
    return reply;
  };
  return {
    client,
    replies,
    server,
    done: () => {
      server.close();
      client.destroy();
      listener.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const line = (value: unknown): string => `${JSON.stringify(value)}\n`;

test('the server answers in order, survives malformed JSON and counts evaluations and simulator time', async () => {
  const c = await channel(LIMITS);
  try {
    c.client.write('this is not json\n');
    c.client.write(
      line({ id: 1, op: 'expectation', qasm: RY, observables: ['Z0'], bindings: [{ theta: 0 }, { theta: Math.PI }] }),
    );
    c.client.write('{"id": 2, "op": "run"\n');
    c.client.write(line({ id: 3, op: 'run', qasm: RY, bindings: [{ theta: 0 }], shots: 5 }));
    const first = await c.replies();
    assert.ok(!first.ok && first.id === null && first.error.code === 'invalid_request');
    const second = await c.replies();
    assert.ok(second.ok && second.id === 1);
    assert.deepEqual(
      second.results.map((r) => ('values' in r ? Math.round(r.values[0] ?? NaN) : NaN)),
      [1, -1],
    );
    const third = await c.replies();
    assert.ok(!third.ok && third.error.code === 'invalid_request');
    const fourth = await c.replies();
    assert.deepEqual(fourth, { id: 3, ok: true, results: [{ counts: { '00': 5 } }] });
    assert.equal(c.server.usage().calls, 3, 'two binding sets and one run');
  } finally {
    c.done();
  }
});

test('the call budget: a call that would pass it is refused whole, and nothing is evaluated', async () => {
  const c = await channel({ ...LIMITS, maxCalls: 3 });
  try {
    c.client.write(line({ id: 1, op: 'run', qasm: RY, bindings: [{ theta: 0 }, { theta: 1 }], shots: 1 }));
    assert.ok((await c.replies()).ok);
    c.client.write(line({ id: 2, op: 'run', qasm: RY, bindings: [{ theta: 0 }, { theta: 1 }], shots: 1 }));
    const refused = await c.replies();
    assert.ok(!refused.ok && refused.error.code === 'limit_exceeded');
    assert.match(refused.error.message, /may make 3/);
    c.client.write(line({ id: 3, op: 'run', qasm: RY, bindings: [{ theta: 0 }], shots: 1 }));
    assert.ok((await c.replies()).ok);
    assert.equal(c.server.usage().calls, 3);
  } finally {
    c.done();
  }
});

test('the simulator time budget stops a long call and refuses the next', async () => {
  // 18 qubits of many layers: far more than 1 ms of simulation.
  const layers = Array.from({ length: 40 }, () => 'h q; cx q[0], q[17];').join(' ');
  const slow = `OPENQASM 3.0; include "stdgates.inc"; qubit[18] q; ${layers}`;
  const c = await channel({ ...LIMITS, maxTimeMs: 1 });
  try {
    c.client.write(line({ id: 1, op: 'expectation', qasm: slow, observables: ['Z0'] }));
    const stopped = await c.replies();
    assert.ok(!stopped.ok && stopped.error.code === 'limit_exceeded', JSON.stringify(stopped));
    assert.match(stopped.error.message, /simulator time/);
    c.client.write(line({ id: 2, op: 'expectation', qasm: RY, observables: ['Z0'], bindings: [{ theta: 0 }] }));
    const next = await c.replies();
    assert.ok(!next.ok && /has used its 1 ms/.test(next.error.message));
  } finally {
    c.done();
  }
});

test('a request line over the limit is refused and the channel closed', async () => {
  const c = await channel({ ...LIMITS, maxRequestBytes: 1000 });
  try {
    const closed = new Promise<void>((resolve) => c.client.once('close', () => resolve()));
    c.client.write(`{"id":1,"op":"run","qasm":"${'x'.repeat(5000)}"}\n`);
    const reply = await c.replies();
    assert.ok(!reply.ok && reply.id === null && reply.error.code === 'request_too_large');
    await closed;
    assert.equal(c.server.usage().calls, 0);
  } finally {
    c.done();
  }
});

test('a block that floods the channel and never reads its answers is held back: the server stops evaluating', async () => {
  let held: (calls: number) => void = () => undefined;
  const heldAt = new Promise<number>((resolve) => (held = resolve));
  const c = await channel(LIMITS, { onHeld: (calls) => held(calls) });
  try {
    // Answers of about 30 KB each (1500 shots of 12 qubits in uniform superposition), 1000 requests at once.
    const wide = 'OPENQASM 3.0; include "stdgates.inc"; qubit[12] q; bit[12] c; h q; c = measure q;';
    c.client.pause();
    const sent = 1000;
    c.client.write(
      Array.from({ length: sent }, (_, id) => line({ id, op: 'run', qasm: wide, shots: 1500, seed: id })).join(''),
    );
    const calls = await heldAt;
    assert.ok(calls < sent / 5, `the server evaluated ${calls} of ${sent} requests before holding back`);
    // Reading the answers lets it go on past where it stopped.
    c.client.resume();
    for (let k = 0; k <= calls; k++) assert.equal((await c.replies()).id, k);
  } finally {
    c.done();
  }
});

test('permissions.quantum in the front matter: false, true, bounds, and problems with their path', () => {
  const of = (quantum: unknown) => quantumPermission({ permissions: { quantum } });
  assert.deepEqual(quantumPermission(undefined), { ok: true, value: undefined });
  assert.deepEqual(of(true), { ok: true, value: undefined });
  assert.deepEqual(of(false), { ok: true, value: false });
  assert.deepEqual(of({ calls: 10, qubits: 4, time: '2m' }), {
    ok: true,
    value: { calls: 10, qubits: 4, timeMs: 120_000 },
  });
  const problems: [unknown, string][] = [
    ['yes', '/permissions/quantum'],
    [{ calls: 0 }, '/permissions/quantum/calls'],
    [{ qubits: 2.5 }, '/permissions/quantum/qubits'],
    [{ time: 'soon' }, '/permissions/quantum/time'],
    [{ shots: 5 }, '/permissions/quantum/shots'],
  ];
  for (const [value, path] of problems) {
    const read = of(value);
    assert.ok(!read.ok, JSON.stringify(value));
    assert.equal(read.path, path);
  }
});
