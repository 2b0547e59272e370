/**
 * `federated:` is a federated workflow that can run (docs/federated.md): what the front matter schema cannot say
 * (a missing `clients` or `parameters`, `clients` given twice, a budget without privacy) and the warnings for
 * seed-style keys read by mapping them (`privacy: differential_privacy`, a top-level `epsilon`). Unknown keys and
 * values of the wrong type are the schema's findings, not repeated here.
 */
import { compileFederatedConfig } from '../../federated/federated-config.js';
import type { Finding, Rule } from '../rule.js';

const SCHEMA_CODES = new Set(['federated_unknown_key', 'federated_bad_value', 'federated_not_object']);

export const federatedSection: Rule = {
  id: 'federated-section',
  description: '`federated:` names its clients and model size, and seed-style keys are reported as mapped.',
  check(ctx) {
    const value = ctx.frontMatter?.['federated'];
    if (value === undefined) return [];
    return compileFederatedConfig(value)
      .issues.filter((i) => !SCHEMA_CODES.has(i.code))
      .map((i): Finding => ({
        code: i.code,
        severity: i.severity,
        message: `${i.message}.`,
        place: ctx.placeOf(i.path),
      }));
  },
};
