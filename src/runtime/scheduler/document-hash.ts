/**
 * The hash a run records of its document, for `maml run --resume`: SHA-256 of the text without its `## History`
 * section(s), which runs append to (the run that is resumed wrote its own lines there), so any other change, to a
 * block, the front matter, a schema or the prose, makes the hash differ.
 */
import { createHash } from 'node:crypto';
import type { MamlDocument } from '../../format/index.js';

export function documentHash(doc: MamlDocument): string {
  const history = doc.sections
    .filter((s) => s.name === 'history')
    .map((s) => [s.span.start.offset, s.span.end.offset] as const)
    .sort((a, b) => a[0] - b[0]);
  let text = '';
  let at = 0;
  for (const [start, end] of history) {
    text += doc.text.slice(at, start);
    at = Math.max(at, end);
  }
  text += doc.text.slice(at);
  return createHash('sha256').update(text.replace(/\s+$/, ''), 'utf8').digest('hex');
}
