/** JavaScript's `\s` as a test on one UTF-16 code unit: ECMAScript WhiteSpace and LineTerminator code points. */
export function isSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** The words of `text` separated by whitespace and/or commas: what `text.match(/[^\s,]+/g) ?? []` gives. */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 32;
    if (c === 44 || isSpace(c)) {
      if (start !== -1) words.push(text.slice(start, i));
      start = -1;
    } else if (start === -1) start = i;
  }
  return words;
}

/** The first word of `text` ending at whitespace or `stop`: what `text.split(/[\s{]/)[0]` gives for stop `{`. */
export function firstWord(text: string, stop: number): string {
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === stop || isSpace(c)) break;
    i++;
  }
  return text.slice(0, i);
}
