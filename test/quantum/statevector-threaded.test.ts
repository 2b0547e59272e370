import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createNodeSimulator, createNodeStateVectorSimulator } from '../../src/quantum-node/index.js';
import { CircuitBuilder, createStateVectorSimulator } from '../../src/quantum/index.js';
import { runConformance } from './simulator.case.js';

// minQubits 0: every state lives in shared memory and every pass is split across the threads.
const sim = await createNodeStateVectorSimulator({ threads: 3, minQubits: 0 });

runConformance({
  name: 'statevector-threaded',
  create: () => sim,
  gradients: true,
});
after(() => sim.close());

test('statevector-threaded: passes really ran on the workers and match the serial result', async () => {
  const n = 12;
  const b = new CircuitBuilder(n);
  for (let layer = 0; layer < 5; layer++) {
    for (let q = 0; q < n; q++) b.u(0.1 * q + layer, 0.3, 0.2 * layer, q);
    for (let q = layer % 2; q + 1 < n; q += 2) b.cz(q, q + 1);
    b.cx(0, n - 1).ccx(1, 5, 9);
  }
  const c = b.build();
  const before = sim.executor?.parallelPasses ?? 0;
  const threaded = await sim.simulate(c, { shots: 0, stateVector: true });
  assert.ok((sim.executor?.parallelPasses ?? 0) > before + 10);
  const serial = await createStateVectorSimulator().simulate(c, { shots: 0, stateVector: true });
  assert.ok(threaded.stateVector && serial.stateVector);
  for (let i = 0; i < 2 ** n; i++) {
    assert.ok(Math.abs((threaded.stateVector.re[i] ?? 0) - (serial.stateVector.re[i] ?? 0)) < 1e-12);
    assert.ok(Math.abs((threaded.stateVector.im[i] ?? 0) - (serial.stateVector.im[i] ?? 0)) < 1e-12);
  }
});

test('the Node auto simulator runs small circuits on the state vector and wide ones on MPS', async () => {
  const auto = createNodeSimulator('auto', { threads: 1 });
  try {
    const small = await auto.simulate(new CircuitBuilder(3).x(1).build(), { shots: 4 });
    assert.equal(small.backend, 'statevector');
    assert.deepEqual(small.counts, { '010': 4 });
    const b = new CircuitBuilder(60).h(0);
    for (let q = 1; q < 60; q++) b.cx(q - 1, q);
    const wide = await auto.simulate(b.build(), { shots: 20, seed: 2 });
    assert.equal(wide.backend, 'mps');
    assert.deepEqual(Object.keys(wide.counts).sort(), ['0'.repeat(60), '1'.repeat(60)]);
  } finally {
    await auto.close();
  }
});
