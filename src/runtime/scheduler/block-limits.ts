/**
 * What a block asks for, checked against the operator's caps (run-limits.ts) before anything runs: its
 * `timeout=` (parsed once here: a positive duration no longer than the cap, which also keeps it within what a
 * timer can hold), and the attributes its executor declares (OpenQASM's `shots=`, `backend=`, …), each by the
 * executor's own check. Each problem is a diagnostic at the block's fence.
 */
import type { CodeBlock } from '../../format/index.js';
import { diagnostic } from '../../shared/index.js';
import type { Diagnostic } from '../../shared/index.js';
import { formatDuration, parseDuration } from '../duration.js';
import { executorFor } from '../executors/index.js';
import type { Executor } from '../executors/index.js';
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

/** `executor` defaults to the block's language's; a block no executor runs has only its timeout checked. */
export function checkBlockLimits(
  block: CodeBlock,
  limits: RunLimits,
  executor: Executor | undefined = executorFor(block.lang),
): BlockLimits {
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
  for (const attribute of executor?.attributes ?? []) {
    const value = block.attributes[attribute.name];
    if (value === undefined) continue;
    const found = attribute.check(value, limits);
    if (found) diagnostics.push(problem(block, found.code, found.message));
  }
  return { timeoutMs, diagnostics };
}
