/** A document says what it is for in `## Intent`; strict documents are warned when it is missing. */
import type { Rule } from '../rule.js';

export const intentSection: Rule = {
  id: 'intent-section',
  description: 'Strict documents have an `## Intent` section.',
  check(ctx) {
    if (ctx.profile !== 'strict' || !ctx.frontMatter || ctx.doc.sections.some((s) => s.name === 'intent')) return [];
    const at = ctx.doc.sections[0]?.heading ?? ctx.placeOf('');
    return [
      {
        code: 'missing_intent',
        severity: 'warning',
        message: 'The document has no `## Intent` section; add one sentence saying what the workflow is for.',
        place: at,
      },
    ];
  },
};
