/** Blocks in task positions name a language the gateway knows; others are kept but never run. */
import { isKnownLang } from '../languages.js';
import type { Finding, Rule } from '../rule.js';

export const blockLanguages: Rule = {
  id: 'block-languages',
  description: 'Code blocks use a known language.',
  check(ctx) {
    const findings: Finding[] = [];
    for (const block of ctx.doc.blocks) {
      if (block.lang === '') {
        findings.push({
          code: 'missing_block_language',
          severity: 'warning',
          message: `Block \`${block.id}\` has no language, so it will not run; write one after the fence, e.g. \`\`\`python.`,
          place: block.span,
        });
      } else if (!isKnownLang(block.lang)) {
        findings.push({
          code: 'unknown_block_language',
          severity: 'warning',
          message: `Block \`${block.id}\` is \`${block.langRaw}\`, which the gateway cannot run (it runs python, javascript, typescript, bash, sh, sql, qasm, ocaml).`,
          place: block.span,
        });
      }
    }
    return findings;
  },
};
