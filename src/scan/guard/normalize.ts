/**
 * Text normalization before the classifier and the baseline profile hash it: what an attacker changes to slip an
 * instruction past a reader or a filter, but a model still reads the same way, is undone here. Compatibility
 * forms (fullwidth, mathematical alphanumerics) fold by NFKC, accents are removed (NFKD, then combining marks
 * dropped), invisible format characters (zero-width, bidirectional controls, soft hyphen) vanish, Unicode tag
 * characters are read as the ASCII they spell, and Cyrillic and Greek letters that look like Latin ones become
 * those Latin letters (the confusables of Unicode TS #39 that matter for English text). The result is lower case
 * with runs of white space made one space.
 */

/** Cyrillic and Greek letters drawn like Latin ones (lower case after folding), to their Latin look-alike. */
const CONFUSABLES: Readonly<Record<string, string>> = {
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  і: 'i',
  ї: 'i',
  ј: 'j',
  ѕ: 's',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  ɡ: 'g',
  α: 'a',
  β: 'b',
  ε: 'e',
  η: 'n',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  γ: 'y',
  ω: 'w',
  ı: 'i',
  ℓ: 'l',
};

const CONFUSABLE_RE = new RegExp(`[${Object.keys(CONFUSABLES).join('')}]`, 'g');
/** Unicode tag characters U+E0020–U+E007E spell ASCII invisibly. */
const TAG_RE = /[\u{E0020}-\u{E007E}]/gu;
/** Format characters (zero-width, bidi controls, soft hyphen, word joiner, BOM, other tags) and combining marks. */
const INVISIBLE_RE = /[\p{Cf}\p{Mn}]/gu;
const SPACE_RE = /\s+/g;
/** Cheap test for text that is plain ASCII already, which needs no Unicode folding. */
// eslint-disable-next-line no-control-regex
const NON_ASCII_RE = /[^\x00-\x7f]/;

export function normalizeText(text: string): string {
  let t = text;
  if (NON_ASCII_RE.test(t)) {
    t = t.replace(TAG_RE, (c) => String.fromCharCode((c.codePointAt(0) ?? 0xe0020) - 0xe0000));
    t = t.normalize('NFKD').replace(INVISIBLE_RE, '').normalize('NFKC').toLowerCase();
    t = t.replace(CONFUSABLE_RE, (c) => CONFUSABLES[c] ?? c);
  } else t = t.toLowerCase();
  return t.replace(SPACE_RE, ' ').trim();
}

/** ROT13 of the ASCII letters, for instructions hidden that way. */
export function rot13(text: string): string {
  return text.replace(/[a-z]/gi, (c) => {
    const base = c <= 'Z' ? 65 : 97;
    return String.fromCharCode(((c.charCodeAt(0) - base + 13) % 26) + base);
  });
}
