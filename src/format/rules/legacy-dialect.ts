/** The `schema:`/`context:` dialect without `maml_version`: accepted by `lenient`, an error under `strict`. */
import type { Rule } from '../rule.js';

export const legacyDialect: Rule = {
  id: 'legacy-dialect',
  description: 'Strict documents declare `maml_version`, not the older `schema: maml-1.0` dialect.',
  check(ctx) {
    const raw = ctx.doc.frontMatter?.value;
    if (ctx.profile !== 'strict' || !raw || raw['maml_version'] !== undefined || raw['schema'] === undefined) return [];
    return [
      {
        code: 'legacy_dialect',
        severity: 'error',
        message: `\`schema: ${String(raw['schema'])}\` is the older dialect; strict documents use \`maml_version: "1.0"\`. Run \`maml fmt --write\` to convert, or validate with --profile lenient.`,
        place: ctx.placeOf('/schema#key'),
      },
    ];
  },
};
