/**
 * `fairness:` in the front matter (true, or a mapping: docs/fairness.md) compiles to a policy, and the blocks it
 * checks are marked `fairness=predictions` (or `fairness=training` for reweighing). A bare `fairness: true` is
 * accepted with a warning naming the defaults it stands for; a policy with nothing to check, a mark without a
 * policy, and an unknown role are reported.
 */
// The policy compiler and the role names only: validating a document loads none of the metrics.
import { DEFAULT_POLICY, compileFairnessPolicy } from '../../fairness/fairness-policy.js';
import { FAIRNESS_ROLES } from '../../fairness/fairness-roles.js';
import type { Finding, Rule } from '../rule.js';

export const fairnessFrontMatter: Rule = {
  id: 'fairness-front-matter',
  description: '`fairness:` is true or a valid mapping, and the blocks it checks are marked fairness=predictions.',
  check(ctx) {
    const findings: Finding[] = [];
    const value = ctx.frontMatter?.['fairness'];
    const { policy, problems } = compileFairnessPolicy(value);
    for (const p of problems)
      findings.push({
        code: 'invalid_fairness',
        severity: 'error',
        message: `${p.path.slice(1).replace('/', '.')}: ${p.message}.`,
        place: ctx.placeOf(p.path),
      });
    if (value === true)
      findings.push({
        code: 'fairness_defaults',
        severity: 'warning',
        message: `${DEFAULT_POLICY.defaults}.`,
        place: ctx.placeOf('/fairness'),
      });
    const marked = ctx.doc.blocks.filter((b) => b.attributes['fairness'] !== undefined);
    for (const block of marked) {
      const role = block.attributes['fairness'] as string;
      if (!(FAIRNESS_ROLES as readonly string[]).includes(role))
        findings.push({
          code: 'invalid_attribute',
          severity: 'error',
          message: `fairness=${role} is not a role; write fairness=predictions (the block whose outputs are checked) or fairness=training (reweighing).`,
          place: block.span,
        });
      else if (value === undefined || value === false)
        findings.push({
          code: 'fairness_unchecked',
          severity: 'warning',
          message: `block ${block.id} is marked fairness=${role} but the front matter has no \`fairness:\`, so nothing is checked.`,
          place: block.span,
        });
      else if (role === 'training' && policy && policy.mitigate !== 'reweighing')
        findings.push({
          code: 'invalid_fairness',
          severity: 'error',
          message: `block ${block.id} is marked fairness=training, which gets reweighing weights: set \`mitigate: reweighing\` under fairness.`,
          place: block.span,
        });
    }
    if (policy && !marked.some((b) => b.attributes['fairness'] === 'predictions'))
      findings.push({
        code: 'fairness_unchecked',
        severity: 'warning',
        message:
          'fairness is on but no block is marked fairness=predictions, so no outputs are checked: mark the block that outputs the predictions.',
        place: ctx.placeOf('/fairness'),
      });
    return findings;
  },
};
