/**
 * Picks the simulator for a backend name. Until the fast backends are wired in, every name is served by the
 * reference simulator (which reports itself as `statevector`).
 */
import { createReferenceSimulator } from './reference-simulator.js';
import type { Simulator } from './simulator.js';

export const BACKEND_CHOICES = ['statevector', 'mps', 'webgpu', 'auto'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

export function getSimulator(_backend: BackendChoice): Simulator {
  return createReferenceSimulator();
}
