/**
 * Block attributes the gateway reads (`timeout=`, `head=`, `continue_on_error=`) have values it understands; the
 * ones it does not read on a block of that language are reported. The values of a language's own attributes
 * (OpenQASM's `shots=`, `backend=`, …) are checked by its executor when a run is planned.
 */
import { LANG_ATTRIBUTES, attributesOf } from '../languages.js';
import type { Finding, Rule } from '../rule.js';
const DURATION = /^\d+(\.\d+)?(ms|s|m|h)?$/;
const BOOLEAN = /^(true|false|yes|no|1|0|on|off)$/i;
const NAMES_SHOWN = 10;

export const blockAttributes: Rule = {
  id: 'block-attributes',
  description: 'Known block attributes have valid values; unknown ones are reported.',
  check(ctx) {
    const findings: Finding[] = [];
    for (const block of ctx.doc.blocks) {
      const { attributes } = block;
      if (attributes['timeout'] !== undefined && !DURATION.test(attributes['timeout'])) {
        findings.push({
          code: 'invalid_attribute',
          severity: 'error',
          message: `timeout=${attributes['timeout']} is not a duration; write e.g. timeout=30s, timeout=500ms or timeout=2m.`,
          place: block.span,
        });
      }
      for (const key of ['continue_on_error', 'run', 'cache']) {
        const v = attributes[key];
        if (v !== undefined && v !== '' && !BOOLEAN.test(v)) {
          findings.push({
            code: 'invalid_attribute',
            severity: 'error',
            message: `${key}=${v} is not a boolean; write ${key}=true or ${key}=false.`,
            place: block.span,
          });
        }
      }
      // One finding per block, however many attributes it has.
      const known = attributesOf(block.lang);
      const unknown = Object.keys(attributes).filter((key) => !known.includes(key));
      if (unknown.length > 0) {
        const shown = unknown
          .slice(0, NAMES_SHOWN)
          .map((key) => `\`${key}\``)
          .join(', ');
        const more = unknown.length > NAMES_SHOWN ? ` and ${unknown.length - NAMES_SHOWN} more` : '';
        findings.push({
          code: 'unknown_attribute',
          severity: 'info',
          message: `Block ${unknown.length === 1 ? 'attribute' : 'attributes'} ${shown}${more} ${unknown.length === 1 ? 'is' : 'are'} not used by the gateway (known${Object.hasOwn(LANG_ATTRIBUTES, block.lang) ? ` for ${block.lang} blocks` : ''}: ${known.join(', ')}).`,
          place: block.span,
        });
      }
    }
    return findings;
  },
};
