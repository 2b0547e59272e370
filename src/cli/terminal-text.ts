/**
 * Text from documents and blocks (diagnostic messages, a block's stderr in an error, outputs, ids) shown on the
 * user's terminal: control characters (Unicode Cc: C0 such as ESC, DEL, C1 such as the 8-bit CSI U+009B) and
 * format characters (Cf: bidirectional overrides, zero-width characters) are written as `\u{…}` escapes, so a
 * document or a block cannot move the cursor, recolour or retitle the terminal, write the clipboard (OSC 52) or
 * reorder what the user reads. Tabs stay; line breaks stay only where the caller prints several lines.
 */

const UNSAFE = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;

export function terminalText(text: string, options: { readonly lines?: boolean } = {}): string {
  return text.replace(UNSAFE, (c) =>
    c === '\t' || (c === '\n' && options.lines === true) ? c : `\\u{${(c.codePointAt(0) ?? 0).toString(16)}}`,
  );
}

/**
 * JSON for the terminal: `JSON.stringify` leaves C1 and format characters raw inside strings; here they become
 * `\uXXXX` escapes (one per UTF-16 unit), which is still the same JSON value. Line breaks of the layout stay.
 */
export function terminalJson(value: unknown, space?: number): string {
  return (JSON.stringify(value, null, space) ?? 'null').replace(UNSAFE, (c) =>
    c === '\n'
      ? c
      : Array.from({ length: c.length })
          .map((_, i) => `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`)
          .join(''),
  );
}
