/**
 * Section headings may carry emoji or other decoration (`## 🐪 History`, `## Code Blocks`). The normalized name
 * drops everything before the first letter, lower-cases, and joins words with underscores.
 */

export const KNOWN_SECTIONS = [
  'intent',
  'context',
  'code_blocks',
  'input_schema',
  'output_schema',
  'dependencies',
  'history',
] as const;
export type KnownSection = (typeof KNOWN_SECTIONS)[number];

/** Sections whose code blocks are never tasks: prose, schemas, the graph and the log. */
export const NON_TASK_SECTIONS: ReadonlySet<string> = new Set([
  'intent',
  'context',
  'input_schema',
  'output_schema',
  'dependencies',
  'history',
]);

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/**
 * End of `text` once trailing characters that are neither letters nor digits are dropped. Done by hand: the
 * expression `/[^\p{L}\p{N}]+$/u` retries from every character of a long symbol run inside the title, which
 * takes time quadratic in the run's length.
 */
function lastLetterEnd(text: string): number {
  let end = text.length;
  while (end > 0) {
    const low = text.charCodeAt(end - 1);
    const high = end >= 2 ? text.charCodeAt(end - 2) : 0;
    const width = low >= 0xdc00 && low <= 0xdfff && high >= 0xd800 && high <= 0xdbff ? 2 : 1;
    if (LETTER_OR_DIGIT.test(text.slice(end - width, end))) return end;
    end -= width;
  }
  return 0;
}

export function normalizeSectionName(title: string): string {
  const text = title.normalize('NFKC').replace(/^[^\p{L}\p{N}]+/u, '');
  return text
    .slice(0, lastLetterEnd(text))
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '_');
}
