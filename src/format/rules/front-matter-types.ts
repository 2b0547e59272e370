/**
 * Front matter against the JSON Schema (schema/maml.schema.json): wrong key types and values. Patterns of `id`,
 * `origin`, `created_at` and permission URIs are left to their own rules, which say more.
 */
import { validateFrontMatterShape } from '../json-schema.js';
import type { Finding, Rule } from '../rule.js';
import { mergeIssues } from '../schema-issues.js';

const OWN_RULES = /^\/(id|origin|created_at|permissions\/(read|write|execute)\/\d+)$/;

export const frontMatterTypes: Rule = {
  id: 'front-matter-types',
  description: 'Front matter keys have the types and values the specification gives them.',
  check(ctx) {
    if (!ctx.frontMatter) return [];
    const findings: Finding[] = [];
    for (const issue of mergeIssues(validateFrontMatterShape(ctx.frontMatter))) {
      if (issue.keyword === 'pattern' && OWN_RULES.test(issue.path)) continue;
      if (issue.keyword === 'required') {
        const key = String(issue.params['missingProperty']);
        if (key === 'maml_version' && ctx.doc.frontMatter?.value?.['schema'] !== undefined && ctx.profile === 'strict')
          continue;
        findings.push({
          code: 'missing_key',
          severity: ctx.profile === 'strict' ? 'error' : 'warning',
          message: `Front matter has no \`${key}\`; add it (see docs/spec/maml.md, "Front matter").`,
          place: ctx.placeOf(''),
        });
        continue;
      }
      const key = issue.path === '' ? 'front matter' : `\`${issue.path.slice(1).replace(/\//g, '.')}\``;
      const extra =
        issue.keyword === 'additionalProperties'
          ? ` (\`${String(issue.params['additionalProperty'])}\` is not a known key here)`
          : '';
      const placePath =
        issue.keyword === 'additionalProperties'
          ? `${issue.path}/${String(issue.params['additionalProperty'])}#key`
          : issue.path;
      findings.push({
        code: issue.keyword === 'type' ? 'invalid_type' : 'invalid_value',
        severity: 'error',
        message: `${key} ${issue.message}${extra}.`,
        place: ctx.placeOf(placePath),
      });
    }
    return findings;
  },
};
