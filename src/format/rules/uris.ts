/** `origin` is an `agent://` URI; permission lists hold `agent://` or `gateway://` URIs (with `*` wildcards). */
import type { Finding, Rule } from '../rule.js';

const ORIGIN = /^agent:\/\/[^\s/][^\s]*$/;
const PRINCIPAL = /^(agent|gateway):\/\/[^\s]+$/;

export const uris: Rule = {
  id: 'uris',
  description: '`origin` and permission entries are well-formed agent:// or gateway:// URIs.',
  check(ctx) {
    const findings: Finding[] = [];
    const fm = ctx.frontMatter;
    if (!fm) return findings;
    const origin = fm['origin'];
    if (origin !== undefined && (typeof origin !== 'string' || !ORIGIN.test(origin))) {
      findings.push({
        code: 'invalid_uri',
        severity: 'error',
        message: `\`origin\` must be an agent:// URI such as agent://team/planner (got ${JSON.stringify(origin)}).`,
        place: ctx.placeOf('/origin'),
      });
    }
    const perms = fm['permissions'];
    if (perms && typeof perms === 'object' && !Array.isArray(perms)) {
      for (const key of ['read', 'write', 'execute']) {
        const list = (perms as Record<string, unknown>)[key];
        if (!Array.isArray(list)) continue;
        list.forEach((entry, i) => {
          if (typeof entry === 'string' && !PRINCIPAL.test(entry)) {
            findings.push({
              code: 'invalid_uri',
              severity: 'error',
              message: `\`permissions.${key}\` entry ${JSON.stringify(entry)} must be an agent:// or gateway:// URI (\`*\` matches anything: agent://*).`,
              place: ctx.placeOf(`/permissions/${key}/${i}`),
            });
          }
        });
      }
    }
    return findings;
  },
};
