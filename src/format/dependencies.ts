/**
 * Reads `## Dependencies`: list items whose text is a chain of block ids joined by `->` (or `→`), where each step
 * may fan out with commas: `- a -> b, c -> d` gives a→b, a→c, b→d, c→d.
 */
import { diagnostic, type Diagnostic } from '../shared/diagnostic.js';
import type { DependencyEdge } from './document.js';
import type { LineIndex } from './line-index.js';
import type { Line } from './lines.js';

const ITEM = /^\s*[-*+]\s+(.*)$/;
const ID = /^[A-Za-z_][\w.:-]*$/;

export function readDependencies(
  lines: readonly Line[],
  index: LineIndex,
): { edges: DependencyEdge[]; diagnostics: Diagnostic[] } {
  const edges: DependencyEdge[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const line of lines) {
    const item = ITEM.exec(line.text);
    if (!item) continue;
    const body = (item[1] ?? '').replace(/`/g, '').trim();
    const place = index.span(line.offset, line.offset + line.text.length);
    const steps = body.split(/\s*(?:->|→)\s*/).map((step) => step.split(/\s*,\s*/).filter((s) => s !== ''));
    const bad = steps.flat().find((id) => !ID.test(id));
    if (steps.length < 2 || steps.some((s) => s.length === 0) || bad !== undefined) {
      diagnostics.push(
        diagnostic({
          code: 'invalid_dependency',
          severity: 'error',
          message:
            bad !== undefined
              ? `\`${bad}\` is not a block id; write edges as \`- a -> b\`, chains \`- a -> b -> c\` or fan-out \`- a -> b, c\`.`
              : 'Write each dependency as `- a -> b` (chains `a -> b -> c` and fan-out `a -> b, c` are allowed).',
          place,
          ruleId: 'dependencies',
          source: 'maml',
        }),
      );
      continue;
    }
    for (let s = 0; s + 1 < steps.length; s++) {
      for (const from of steps[s] ?? []) for (const to of steps[s + 1] ?? []) edges.push({ from, to, place });
    }
  }
  return { edges, diagnostics };
}
