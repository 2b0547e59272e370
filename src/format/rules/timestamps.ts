/** `created_at` is an ISO 8601 timestamp with a zone and a real date; History timestamps are in UTC. */
import { ISO_TIMESTAMP_PATTERN } from '../front-matter-schema.js';
import { ISO_UTC } from '../history.js';
import type { Finding, Rule } from '../rule.js';

const ISO = new RegExp(ISO_TIMESTAMP_PATTERN);

function realDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(text);
  if (!m) return false;
  const [y, mo, d, h, mi, s] = m.slice(1).map((v) => Number(v ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && h < 24 && mi < 60 && s < 61;
}

export const timestamps: Rule = {
  id: 'timestamps',
  description: 'Timestamps are ISO 8601 with a zone (front matter) or in UTC (History), and name real dates.',
  check(ctx) {
    const findings: Finding[] = [];
    const created = ctx.frontMatter?.['created_at'];
    if (created !== undefined && (typeof created !== 'string' || !ISO.test(created) || !realDate(created))) {
      findings.push({
        code: 'invalid_timestamp',
        severity: 'error',
        message: `\`created_at\` must be an ISO 8601 timestamp with a zone, such as "2025-01-01T12:00:00Z" (got ${JSON.stringify(created)}).`,
        place: ctx.placeOf('/created_at'),
      });
    }
    for (const entry of ctx.doc.history) {
      if (!ISO_UTC.test(entry.timestamp) || !realDate(entry.timestamp)) {
        findings.push({
          code: 'invalid_timestamp',
          severity: ctx.profile === 'strict' ? 'error' : 'warning',
          message: `History timestamp \`${entry.timestamp}\` is not an ISO 8601 UTC time such as 2025-01-01T12:00:00Z.`,
          place: entry.span,
        });
      }
    }
    return findings;
  },
};
