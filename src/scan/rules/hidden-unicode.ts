/**
 * Invisible characters that hide instructions from a human reviewer while a model still reads them: Unicode tag
 * characters (U+E0000–U+E007F, which can spell out whole ASCII sentences), bidirectional controls (the
 * "Trojan Source" reordering, CVE-2021-42574) and zero-width characters.
 */
import type { Finding, ScanRule } from '../rule.js';

const TAGS = /(?:[\u{E0000}-\u{E007F}])+/gu;
const BIDI = /[\u202A-\u202E\u2066-\u2069]/g;
const ZERO_WIDTH = /[\u200B-\u200D\u2060\u180E]|(?!^)\uFEFF/g;

export const hiddenUnicode: ScanRule = {
  id: 'hidden-unicode',
  run(ctx) {
    const findings: Finding[] = [];
    for (const m of ctx.text.matchAll(TAGS)) {
      const hidden = [...m[0]].map((c) => String.fromCharCode((c.codePointAt(0) ?? 0xe0000) - 0xe0000)).join('');
      const shown = hidden.replace(/[^\x20-\x7e]/g, '').slice(0, 80);
      findings.push({
        code: 'hidden_tag_characters',
        severity: 'error',
        message: `invisible Unicode tag characters spell out hidden text${shown ? `: "${shown}"` : ''}; remove them`,
        offset: m.index,
        length: m[0].length,
        weight: 45,
      });
    }
    let bidi = 0;
    for (const m of ctx.text.matchAll(BIDI)) {
      if (bidi++ > 0) continue;
      findings.push({
        code: 'bidi_control',
        severity: 'error',
        message: `bidirectional control U+${(m[0].codePointAt(0) ?? 0).toString(16).toUpperCase()} can make text display differently from how it is read; remove it`,
        offset: m.index,
        length: 1,
        weight: 35,
      });
    }
    let zw = 0;
    for (const m of ctx.text.matchAll(ZERO_WIDTH)) {
      if (zw++ > 0) continue;
      findings.push({
        code: 'zero_width_character',
        severity: 'warning',
        message: `zero-width character U+${(m[0].codePointAt(0) ?? 0).toString(16).toUpperCase()} hides content from reviewers; remove it`,
        offset: m.index,
        length: 1,
        weight: 20,
      });
    }
    return findings;
  },
};
