/**
 * What a block asks for, checked against the operator's caps (run-limits.ts) before anything runs: its
 * `timeout=` (parsed once here: a positive duration no longer than the cap, which also keeps it within what a
 * timer can hold) and, for OpenQASM, its `shots=`. Each problem is a diagnostic at the block's fence.
 */
import type { CodeBlock } from '../../format/index.js';
import { diagnostic } from '../../shared/index.js';
import type { Diagnostic } from '../../shared/index.js';
import { formatDuration, parseDuration } from '../duration.js';
import type { RunLimits } from '../run-limits.js';

function problem(block: CodeBlock, code: string, message: string): Diagnostic {
  return diagnostic({
    code,
    severity: 'error',
    message: `block ${block.id}: ${message}`,
    place: block.span,
    ruleId: 'run-limits',
    source: 'runtime',
  });
}

export interface BlockLimits {
  /** The block's timeout in ms (its own, else the default); undefined when a diagnostic was reported. */
  readonly timeoutMs: number | undefined;
  readonly diagnostics: readonly Diagnostic[];
}

export function checkBlockLimits(block: CodeBlock, limits: RunLimits): BlockLimits {
  const diagnostics: Diagnostic[] = [];
  let timeoutMs: number | undefined = limits.defaultTimeoutMs;
  if (block.timeout !== undefined) {
    timeoutMs = parseDuration(block.timeout);
    if (timeoutMs === undefined)
      diagnostics.push(
        problem(
          block,
          'invalid_attribute',
          `timeout=${block.timeout} is not a duration of at least 1 ms (use 500ms, 30s, 2m)`,
        ),
      );
    else if (timeoutMs > limits.maxTimeoutMs) {
      diagnostics.push(
        problem(
          block,
          'limit_exceeded',
          `timeout=${block.timeout} is longer than the ${formatDuration(limits.maxTimeoutMs)} this gateway allows (its --max-timeout); ask for at most timeout=${formatDuration(limits.maxTimeoutMs).replace(/ /g, '')}, or split the work into several blocks`,
        ),
      );
      timeoutMs = undefined;
    }
  }
  const shots = block.attributes['shots'];
  if (block.lang === 'qasm' && shots !== undefined) {
    const n = /^\s*\d+\s*$/.test(shots) ? Number(shots) : NaN;
    if (!Number.isSafeInteger(n))
      diagnostics.push(
        problem(block, 'invalid_attribute', `shots=${shots} is not a whole number of shots (e.g. shots=1024)`),
      );
    else if (n > limits.maxShots)
      diagnostics.push(
        problem(
          block,
          'limit_exceeded',
          `shots=${shots} is more than the ${limits.maxShots} shots this gateway allows (its --max-shots); ask for at most shots=${limits.maxShots}`,
        ),
      );
  }
  return { timeoutMs, diagnostics };
}
