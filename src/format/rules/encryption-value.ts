/**
 * `encryption:` names a real envelope mode. Values people write ("aes-512", "2048-AES") are read as the mode they
 * most likely mean and reported (docs/spec/maml.md §3, docs/encryption-format.md): an AES key size that does not
 * exist is a warning; a value that names nothing is an error under `strict` and a warning under `lenient`, where
 * the document still runs (only `maml encrypt` needs a mode).
 */
import { resolveEncryptionMode } from '../encryption-mode.js';
import type { Finding, Rule } from '../rule.js';

export const encryptionValue: Rule = {
  id: 'encryption-value',
  description: '`encryption:` names a real mode (standard or pq) or an AES size that exists.',
  check(ctx) {
    const value = ctx.frontMatter?.['encryption'];
    if (value === undefined || value === null) return [];
    const place = ctx.placeOf('/encryption');
    return resolveEncryptionMode(value, place.start).diagnostics.map((d): Finding => ({
      code: d.code,
      severity: d.severity === 'error' && ctx.profile === 'lenient' ? 'warning' : d.severity,
      message: `${d.message}.`,
      place,
    }));
  },
};
