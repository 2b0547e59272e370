/**
 * The registry of pure backends (no threads, no devices): `statevector`, `mps` and `auto` over those two, and the
 * lookup every registry shares. Node code uses the Node registry (src/quantum-node/backends.ts), which runs large
 * state vectors on worker threads, adds `webgpu`, and plans on the machine's memory. The reference simulator is
 * not among them: it is the oracle of the tests.
 */
import { MamlError } from '../../shared/errors.js';
import { autoBackend } from './auto.js';
import type { BackendOptions, ClosableSimulator, SimulatorBackend } from './backend.js';
import { mpsBackend } from './mps.js';
import { stateVectorBackend } from './statevector.js';

export const PURE_BACKENDS: readonly SimulatorBackend[] = [
  stateVectorBackend,
  mpsBackend,
  autoBackend(() => [stateVectorBackend, mpsBackend]),
];

export const BACKEND_CHOICES = ['statevector', 'mps', 'auto'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

/** The backend called `name`, or undefined. */
export function findBackend(registry: readonly SimulatorBackend[], name: string): SimulatorBackend | undefined {
  return registry.find((b) => b.name === name);
}

/** The backend called `name`; an unknown name is a usage error that lists the known ones. */
export function backendNamed(registry: readonly SimulatorBackend[], name: string): SimulatorBackend {
  const found = findBackend(registry, name);
  if (!found) {
    throw new MamlError('usage', `unknown backend \`${name}\`; use one of ${registry.map((b) => b.name).join(', ')}`);
  }
  return found;
}

/** A simulator of the pure registry (see BackendOptions); close it when done, as any backend's. */
export function getSimulator(backend: string, options: BackendOptions = {}): ClosableSimulator {
  return backendNamed(PURE_BACKENDS, backend).create(options);
}
