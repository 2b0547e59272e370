// The simulator-backend registries: the pure one and the Node one agree on names, and every entry declares itself.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BACKEND_CHOICES, backendNamed, CircuitBuilder, getSimulator, PURE_BACKENDS } from '../../src/quantum/index.js';
import {
  createNodeSimulator,
  NODE_BACKEND_CATALOG,
  NODE_BACKEND_NAMES,
  NODE_BACKENDS,
} from '../../src/quantum-node/index.js';

test('the pure registry lists BACKEND_CHOICES, and the Node registry lists those and webgpu', () => {
  assert.deepEqual(
    PURE_BACKENDS.map((b) => b.name),
    [...BACKEND_CHOICES],
  );
  assert.deepEqual([...NODE_BACKEND_NAMES].sort(), [...BACKEND_CHOICES, 'webgpu'].sort());
  assert.equal(new Set(NODE_BACKEND_NAMES).size, NODE_BACKEND_NAMES.length, 'names are unique');
});

test('every backend declares a summary and its precisions, and answers fits without throwing', async () => {
  for (const backend of [...PURE_BACKENDS, ...NODE_BACKENDS]) {
    assert.ok(backend.summary.length > 0, backend.name);
    assert.ok(backend.precisions.length > 0, backend.name);
    for (const p of backend.precisions) assert.ok(p === 64 || p === 128, backend.name);
    const fit = await backend.fits({ numQubits: 2 }, {});
    assert.equal(typeof fit.ok, 'boolean', backend.name);
    assert.ok(fit.reason.length > 0, backend.name);
  }
});

test('statevector fits by memory: 2^n amplitudes within the limit', async () => {
  const sv = backendNamed(PURE_BACKENDS, 'statevector');
  assert.equal((await sv.fits({ numQubits: 5 }, {})).ok, true);
  // 5 qubits need 512 bytes in complex128, 256 in complex64.
  assert.equal((await sv.fits({ numQubits: 5 }, { memoryLimitBytes: 256 })).ok, false);
  assert.equal((await sv.fits({ numQubits: 5 }, { memoryLimitBytes: 256, precision: 64 })).ok, true);
  assert.equal((await sv.fits({ numQubits: 40 }, {})).ok, false);
});

test('an unknown backend name is a usage error that lists the known ones', () => {
  assert.throws(
    () => getSimulator('quantum-annealer'),
    (e: Error & { code?: string }) => e.code === 'usage' && /statevector, mps, auto/.test(e.message),
  );
  assert.throws(
    () => createNodeSimulator('gpu'),
    (e: Error & { code?: string }) => e.code === 'usage' && /webgpu/.test(e.message),
  );
});

test('every Node backend that fits a Bell pair runs it and can be closed', async () => {
  const bell = new CircuitBuilder(2, 2).h(0).cx(0, 1).measureAll().build();
  for (const backend of NODE_BACKENDS) {
    if (!(await backend.fits(bell, {})).ok) continue;
    const sim = backend.create({});
    try {
      const r = await sim.simulate(bell, { shots: 200, seed: 2 });
      assert.deepEqual(Object.keys(r.counts).sort(), ['00', '11'], backend.name);
    } finally {
      await sim.close();
    }
  }
});

test('the catalog that validation reads names exactly the Node registry: every backend, in order, with its precisions', () => {
  assert.deepEqual(
    NODE_BACKEND_CATALOG.map((b) => ({ name: b.name, precisions: [...b.precisions] })),
    NODE_BACKENDS.map((b) => ({ name: b.name, precisions: [...b.precisions] })),
  );
});
