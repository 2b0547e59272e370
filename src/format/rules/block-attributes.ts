/** Block attributes the gateway reads (`timeout=`, `head=`, `continue_on_error=`) have values it understands. */
import type { Finding, Rule } from '../rule.js';

export const KNOWN_ATTRIBUTES = new Set(['needs', 'head', 'timeout', 'continue_on_error', 'run', 'shots', 'cache']);
const DURATION = /^\d+(\.\d+)?(ms|s|m|h)?$/;
const BOOLEAN = /^(true|false|yes|no|1|0|on|off)$/i;

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
      for (const key of Object.keys(attributes)) {
        if (!KNOWN_ATTRIBUTES.has(key)) {
          findings.push({
            code: 'unknown_attribute',
            severity: 'info',
            message: `Block attribute \`${key}\` is not used by the gateway (known: ${[...KNOWN_ATTRIBUTES].join(', ')}).`,
            place: block.span,
          });
        }
      }
    }
    return findings;
  },
};
