import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createNodeSimulator, createNodeStateVectorSimulator } from '../../src/quantum-node/index.js';
import { createThreadedExecutor } from '../../src/quantum-node/threaded-executor.js';
import type { CompiledOp, DenseForm } from '../../src/quantum/index.js';
import {
  applyCompiled,
  CircuitBuilder,
  compileOp,
  createStateVectorSimulator,
  densePlan,
  expandGate,
  H,
  makeScratch,
  mulMatrix,
  multiply,
  rzMatrix,
  ryMatrix,
  uMatrix,
  X,
  Y,
} from '../../src/quantum/index.js';
import { compileDiagonal } from '../../src/quantum/sim/compiled-op.js';
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

test('statevector-threaded: every kernel kind and target position gives the serial result, split across threads', async () => {
  const n = 12;
  const ex = await createThreadedExecutor({ threads: 3, minQubits: 0 });
  const scratch = makeScratch();
  const u = uMatrix(0.7, 0.4, 1.1);
  const ctrlH = expandGate({ targets: [0], matrix: H, controls: [1], controlValues: [1] }, [0, 1]);
  const uOnFirst = expandGate({ targets: [0], matrix: u, controls: [], controlValues: [] }, [0, 1]);
  const CX = expandGate({ targets: [1], matrix: X, controls: [0], controlValues: [1] }, [0, 1]);
  const general2 = mulMatrix(
    CX,
    mulMatrix(
      uOnFirst,
      expandGate({ targets: [1], matrix: uMatrix(0.2, 0.9, 0.5), controls: [], controlValues: [] }, [0, 1]),
    ),
  );
  const real2 = mulMatrix(
    CX,
    mulMatrix(
      expandGate({ targets: [1], matrix: ryMatrix(0.8), controls: [], controlValues: [] }, [0, 1]),
      expandGate({ targets: [0], matrix: ryMatrix(0.3), controls: [], controlValues: [] }, [0, 1]),
    ),
  );
  /** A dense k-qubit block: u on the first qubit, then a chain of controlled u. */
  const chain = (k: number): Float64Array => {
    const qs = Array.from({ length: k }, (_, i) => i);
    let m = expandGate({ targets: [0], matrix: u, controls: [], controlValues: [] }, qs);
    for (let q = 1; q < k; q++) {
      const g = expandGate(
        { targets: [q], matrix: uMatrix(0.1 * q, 0.3, 0.2), controls: [q - 1], controlValues: [1] },
        qs,
      );
      m = multiply(g, m, 1 << k);
    }
    return m;
  };
  const diag10 = new Float64Array(2 << 10);
  for (let l = 0; l < 1 << 10; l++) {
    diag10[2 * l] = Math.cos(0.01 * l);
    diag10[2 * l + 1] = Math.sin(0.01 * l);
  }
  const top = n - 1;
  const cases: { name: string; op: CompiledOp; form?: DenseForm }[] = [];
  for (const t of [0, 1, 2, 3, 5, top]) {
    cases.push({ name: `u on ${t}`, op: compileOp(n, [t], u), form: 'one' });
    cases.push({ name: `h on ${t}`, op: compileOp(n, [t], H), form: 'one-real' });
  }
  cases.push({ name: 'controlled u, control top', op: compileOp(n, [0], u, [top], [1]), form: 'one-controlled' });
  cases.push({ name: 'negcontrolled u on top', op: compileOp(n, [top], u, [0], [0]), form: 'one-controlled' });
  for (const pair of [
    [0, 1],
    [1, n - 2],
    [n - 2, top],
    [top, 0],
    [4, 2],
  ]) {
    cases.push({ name: `general 2q on ${pair}`, op: compileOp(n, pair, general2), form: 'two' });
    cases.push({ name: `real 2q on ${pair}`, op: compileOp(n, pair, real2), form: 'two-real' });
    cases.push({ name: `block 2q on ${pair}`, op: compileOp(n, pair, mulMatrix(uOnFirst, ctrlH)), form: 'two-block' });
    cases.push({ name: `controlled 2q on ${pair}`, op: compileOp(n, pair, ctrlH), form: 'two-controlled' });
  }
  cases.push({ name: 'general 2q with a control', op: compileOp(n, [top, 3], general2, [0], [1]), form: 'two' });
  cases.push({
    name: '7-qubit fused block on the top qubits',
    op: compileOp(n, [5, 6, 7, 8, 9, 10, 11], chain(7)),
    form: 'wide',
  });
  cases.push({ name: '3-qubit block', op: compileOp(n, [0, 5, top], chain(3)), form: 'wide' });
  cases.push({ name: 'rz on top', op: compileOp(n, [top], rzMatrix(0.3)) });
  cases.push({ name: '10-qubit diagonal', op: compileDiagonal(n, [0, 1, 2, 3, 4, 5, 6, 7, 8, 11], diag10) });
  cases.push({ name: 'x on 0', op: compileOp(n, [0], X) });
  cases.push({ name: 'cx to top', op: compileOp(n, [top], X, [2], [1]) });
  cases.push({ name: 'y on top', op: compileOp(n, [top], Y) });
  try {
    for (const { name, op, form } of cases) {
      if (form) assert.equal(densePlan(op).form, form, name);
      const shared = ex.allocate(n, 128);
      for (let i = 0; i < shared.length; i++) shared[i] = Math.sin(1.3 * i + 0.1);
      const plain = Float64Array.from(shared);
      const before = ex.parallelPasses;
      ex.run(shared, op);
      assert.equal(ex.parallelPasses, before + 1, `${name} ran on the workers`);
      applyCompiled(plain, op, 0, op.bases, scratch);
      for (let i = 0; i < plain.length; i++) assert.equal(shared[i], plain[i], `${name} at ${i}`);
    }
  } finally {
    await ex.close();
  }
});
