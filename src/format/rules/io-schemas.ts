/** `## Input_Schema` and `## Output_Schema` hold valid JSON Schemas (compiled with Ajv, draft 2020-12). */
import { checkSchema } from '../json-schema.js';
import type { Finding, Rule } from '../rule.js';
import { mergeIssues } from '../schema-issues.js';

export const ioSchemas: Rule = {
  id: 'io-schemas',
  description: 'Input and output schemas are valid JSON Schema (draft 2020-12).',
  check(ctx) {
    const findings: Finding[] = [];
    for (const [label, section] of [
      ['Input_Schema', ctx.doc.inputSchema],
      ['Output_Schema', ctx.doc.outputSchema],
    ] as const) {
      if (!section) continue;
      for (const issue of mergeIssues(checkSchema(section.value))) {
        findings.push({
          code: 'invalid_json_schema',
          severity: 'error',
          message: `${label} is not a valid JSON Schema: ${issue.path || 'schema'} ${issue.message}.`,
          place: { start: section.place, end: section.place },
        });
      }
    }
    return findings;
  },
};
