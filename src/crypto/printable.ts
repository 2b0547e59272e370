/**
 * Shows untrusted text (block ids, run ids, key names from a document or a ticket) safely inside a diagnostic
 * message: control characters (Unicode Cc: C0, DEL, C1 such as the 8-bit CSI U+009B), format characters (Cf:
 * bidirectional overrides, zero-width characters, tag characters) and the line and paragraph separators are
 * written as `\u{…}` escapes, so an id cannot move the terminal cursor, recolour the output, reorder the line or
 * start a new one. Backslashes are doubled so an escape in the output always means an escaped character.
 */

const UNSAFE = /[\p{Cc}\p{Cf}\u2028\u2029\\]/gu;

/** The text with unsafe characters escaped, cut to `max` characters (with `…`) so a huge id cannot flood output. */
export function printable(text: string, max = 200): string {
  let cut = text;
  if (text.length > max) cut = `${text.slice(0, /[\uD800-\uDBFF]/.test(text[max - 1] ?? '') ? max - 1 : max)}…`;
  return cut.replace(UNSAFE, (c) => (c === '\\' ? '\\\\' : `\\u{${(c.codePointAt(0) ?? 0).toString(16)}}`));
}
