/**
 * A document whose body `maml encrypt` replaced with an envelope has no sections or blocks to check; validated as
 * it stands it would pass and "run" nothing. It is an error, so every path that validates before running (the CLI,
 * the gateway, the run planner) refuses it and says how to get the document back.
 */
import { encryptedBodyAt } from '../encrypted-body.js';
import type { Rule } from '../rule.js';

export const encryptedBody: Rule = {
  id: 'encrypted-body',
  description: 'The body is not an encrypted envelope (decrypt it before validating or running).',
  check(ctx) {
    const at = encryptedBodyAt(ctx.doc.text, ctx.doc.bodyOffset);
    if (at === -1) return [];
    // Line and column by counting the line breaks before the armor (it follows the front matter, near the top).
    let line = 1;
    let lineStart = 0;
    for (let i = ctx.doc.text.indexOf('\n'); i !== -1 && i < at; i = ctx.doc.text.indexOf('\n', i + 1)) {
      line++;
      lineStart = i + 1;
    }
    const start = { line, column: at - lineStart + 1, offset: at };
    return [
      {
        code: 'encrypted_document',
        severity: 'error',
        message:
          'The body of this document is encrypted (`maml encrypt`), so it cannot be checked or run; decrypt it first with `maml decrypt FILE -o OUT`, then validate or run OUT.',
        place: { start, end: start },
      },
    ];
  },
};
