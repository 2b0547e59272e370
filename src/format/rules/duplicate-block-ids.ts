/** Block ids are unique, so `needs=` and `## Dependencies` name one block each. */
import type { Finding, Rule } from '../rule.js';

export const duplicateBlockIds: Rule = {
  id: 'duplicate-block-ids',
  description: 'No two blocks share an id.',
  check(ctx) {
    const findings: Finding[] = [];
    const first = new Map<string, number>();
    for (const block of ctx.doc.blocks) {
      const line = first.get(block.id);
      if (line === undefined) first.set(block.id, block.line);
      else {
        findings.push({
          code: 'duplicate_block_id',
          severity: 'error',
          message: `Block id \`${block.id}\` is already used by the block on line ${line}; give this block another #id.`,
          place: block.span,
        });
      }
    }
    return findings;
  },
};
