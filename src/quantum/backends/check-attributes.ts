/**
 * Checks the simulator attributes of an OpenQASM block (`backend=`, `precision=`) against a backend registry, before
 * anything runs: an unknown backend or precision is an error, a precision the chosen backend does not offer a
 * warning (the backend runs in its own: `webgpu` in complex64). Each problem names its attribute so that the
 * caller can place it in the block's opening fence. Never throws.
 */
import type { SimulatorBackend } from './backend.js';

export interface AttributeProblem {
  readonly attribute: string;
  readonly code: 'unknown_backend' | 'invalid_precision' | 'precision_not_offered';
  readonly severity: 'error' | 'warning';
  readonly message: string;
}

/** What the checks need of a backend: its name and the precisions it computes in. */
export type BackendDescription = Pick<SimulatorBackend, 'name' | 'precisions'>;

export function checkSimulatorAttributes(
  attributes: Readonly<Record<string, string>>,
  registry: readonly BackendDescription[],
): AttributeProblem[] {
  const problems: AttributeProblem[] = [];
  const name = attributes['backend'];
  const backend = name === undefined ? undefined : registry.find((b) => b.name === name);
  if (name !== undefined && !backend) {
    problems.push({
      attribute: 'backend',
      code: 'unknown_backend',
      severity: 'error',
      message: `backend=${name} is not a simulator backend; use one of ${registry.map((b) => b.name).join(', ')}.`,
    });
  }
  const precision = attributes['precision'];
  if (precision !== undefined) {
    if (precision !== '64' && precision !== '128') {
      problems.push({
        attribute: 'precision',
        code: 'invalid_precision',
        severity: 'error',
        message: `precision=${precision} is not a precision; write precision=64 (complex64) or precision=128 (complex128).`,
      });
    } else if (backend && !backend.precisions.includes(Number(precision) as 64 | 128)) {
      const offered = backend.precisions.map((p) => `complex${p}`).join(' and ');
      problems.push({
        attribute: 'precision',
        code: 'precision_not_offered',
        severity: 'warning',
        message: `backend=${backend.name} computes in ${offered} only, so precision=${precision} is not what it runs in.`,
      });
    }
  }
  return problems;
}
