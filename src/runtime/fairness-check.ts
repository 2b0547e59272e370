/**
 * The fairness check in a run: after a block's outputs pass the output check, a block marked
 * `fairness=predictions` (or `fairness=training`) under a `fairness:` policy is checked (src/fairness/
 * fairness-gate.ts). The verdict is reported as a `fairness_checked` event and its report added to the block's
 * outputs (`fairness_report`, or the reweighing weights), so the run records it and the block's ticket binds it.
 * Outside the threshold the block fails under `level: strict`, with the table in the message; under `warn` the
 * event carries the warning. Outputs the check cannot read fail the block naming the column and row.
 */
import { checkBlockFairness, gateProblemText, type FairnessPolicy, type FairnessRole } from '../fairness/index.js';
import { MamlError } from '../shared/index.js';
import { checkOutputs } from './output-check.js';
import type { RunEventData } from './run-events.js';

/** Outputs the check adds; a block that writes one itself is refused rather than overwritten. */
const ADDED = ['fairness_report', 'fair_prediction', 'sample_weights', 'reweighing'];

export function checkFairness(
  policy: FairnessPolicy | null | undefined,
  block: { readonly id: string; readonly attributes: Readonly<Record<string, string>> },
  outputs: Record<string, unknown>,
  outputBytes: number,
  report: (data: RunEventData['fairness_checked']) => void,
  cached = false,
): Record<string, unknown> {
  // Cached outputs carry the check's additions of the run that stored them: drop them and check again, since the
  // policy (front matter) is not part of the cache key. A block can never have written these names itself.
  if (cached) outputs = Object.fromEntries(Object.entries(outputs).filter(([name]) => !ADDED.includes(name)));
  const role = block.attributes['fairness'];
  if (!policy || (role !== 'predictions' && role !== 'training')) return outputs;
  const taken = ADDED.find((name) => Object.hasOwn(outputs, name));
  if (taken !== undefined)
    throw new MamlError(
      'block_failed',
      `block ${block.id}: the output name \`${taken}\` is reserved for the fairness check; rename it`,
    );
  const verdict = checkBlockFairness(policy, role satisfies FairnessRole, outputs);
  if (!verdict.ok)
    throw new MamlError('block_failed', gateProblemText(block.id, verdict.problem), {
      details: { fairness: { ...verdict.problem } },
    });
  const { passed, metric, value, message } = verdict.value;
  report({
    role,
    metric,
    value,
    threshold: policy.threshold,
    level: policy.level,
    passed,
    ...(passed ? {} : { message }),
    ...(policy.defaults ? { defaults: policy.defaults } : {}),
  });
  if (!passed && policy.level === 'strict')
    throw new MamlError('block_failed', `block ${block.id}: ${message}`, {
      details: { fairness: verdict.value.additions['fairness_report'] },
    });
  // The added outputs obey the same rules (and the same size limit) as the block's own.
  return checkOutputs(block.id, { ...outputs, ...verdict.value.additions }, outputBytes);
}
