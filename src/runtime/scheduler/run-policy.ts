/**
 * The facts of this machine a plan depends on, computed by the caller before planRun (which does no I/O): whether
 * the sandbox can run blocks here (and give them the network), and which heads the pool runs.
 */
import { serializeError } from '../../shared/index.js';
import type { HeadClassCount } from '../heads/index.js';
import { checkSandbox } from '../sandbox/index.js';
import type { SandboxAvailability } from './run-plan.js';

/** checkSandbox's verdicts without and with the network (bubblewrap's probe is cached per process). */
export function sandboxAvailability(): SandboxAvailability {
  const problemOf = (network: boolean): string | null => {
    try {
      checkSandbox({ network });
      return null;
    } catch (error) {
      return serializeError(error).message;
    }
  };
  const problem = problemOf(false);
  return { problem, networkProblem: problem ?? problemOf(true) };
}

/** Head classes and names of a pool started from this spec (`quantum-1`, `quantum-2`, …). */
export function headsOf(spec: readonly HeadClassCount[]): { classes: string[]; names: string[] } {
  const live = spec.filter((h) => h.count > 0);
  return {
    classes: [...new Set(live.map((h) => h.headClass))],
    names: live.flatMap((h) => Array.from({ length: h.count }, (_, i) => `${h.headClass}-${i + 1}`)),
  };
}
