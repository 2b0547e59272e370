/**
 * Block ids are names: letters, digits and `_ - . :` (Unicode letters and digits included), starting with a
 * letter, digit or `_`, at most 128 characters. An id travels into History lines, tickets, logs and terminals,
 * so one carrying control characters, bidirectional overrides or spaces would be a way to forge or hide text there.
 */
import type { Finding, Rule } from '../rule.js';

const ID = /^[\p{L}\p{N}_][\p{L}\p{N}\p{M}_.:-]*$/u;
export const MAX_BLOCK_ID = 128;

/** Shows an id in a message with its unsafe characters escaped (the message itself may reach a terminal). */
function shown(id: string): string {
  const cut = id.length > 40 ? `${id.slice(0, 40)}…` : id;
  return cut.replace(/[^\p{L}\p{N}\p{M}\p{P}\p{S} ]/gu, (c) => `\\u{${(c.codePointAt(0) ?? 0).toString(16)}}`);
}

export const blockIdSyntax: Rule = {
  id: 'block-id-syntax',
  description: 'Block ids are names of letters, digits and _ - . : (at most 128 characters).',
  check(ctx) {
    const findings: Finding[] = [];
    for (const block of ctx.doc.blocks) {
      if (block.id.length <= MAX_BLOCK_ID && ID.test(block.id)) continue;
      findings.push({
        code: 'invalid_block_id',
        severity: 'error',
        message: `Block id \`${shown(block.id)}\` is not a name: use letters, digits and _ - . : (starting with a letter, digit or _; at most ${MAX_BLOCK_ID} characters), e.g. {#train_model}.`,
        place: block.span,
      });
    }
    return findings;
  },
};
