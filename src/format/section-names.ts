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

export function normalizeSectionName(title: string): string {
  return title
    .normalize('NFKC')
    .replace(/^[^\p{L}\p{N}]+/u, '')
    .replace(/[^\p{L}\p{N}]+$/u, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '_');
}
