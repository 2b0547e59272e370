/**
 * Reads `## Dependencies`: list items whose text is a chain of block ids joined by `->` (or `→`), where each step
 * may fan out with commas: `- a -> b, c -> d` gives a→b, a→c, b→d, c→d.
 */
import { diagnostic } from '../shared/diagnostic.js';
import type { DiagnosticCap } from './diagnostic-cap.js';
import type { DependencyEdge } from './document.js';
import type { LineIndex } from './line-index.js';
import type { Line } from './lines.js';

const ITEM = /^\s*[-*+]\s+(.*)$/;
const ID = /^[A-Za-z_][\w.:-]*$/;
/** Most edges `## Dependencies` may give (fan-out and fan-in multiply the ids of a line). */
export const MAX_EDGES = 100_000;

/** Adds the edges of `lines` to `edges` (the document's edges so far, which count towards the bound). */
export function readDependencies(
  lines: readonly Line[],
  index: LineIndex,
  report: DiagnosticCap,
  edges: DependencyEdge[],
): void {
  for (const line of lines) {
    const item = ITEM.exec(line.text);
    if (!item) continue;
    const body = (item[1] ?? '').replace(/`/g, '').trim();
    const place = index.span(line.offset, line.offset + line.text.length);
    // Split on the separators, then trim: `split(/\s*->\s*/)` would rescan a long run of spaces from each of its
    // characters, which is quadratic in the run's length.
    const steps = body.split(/->|→/).map((step) =>
      step
        .split(',')
        .map((id) => id.trim())
        .filter((id) => id !== ''),
    );
    const bad = steps.flat().find((id) => !ID.test(id));
    if (steps.length < 2 || steps.some((s) => s.length === 0) || bad !== undefined) {
      report.add(
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
    // Fan-out and fan-in multiply: `a1,…,ak -> b1,…,bk` is k² edges from one line, so the total is bounded.
    let count = 0;
    for (let s = 0; s + 1 < steps.length; s++) count += (steps[s]?.length ?? 0) * (steps[s + 1]?.length ?? 0);
    if (edges.length + count > MAX_EDGES) {
      report.add(
        diagnostic({
          code: 'too_many_dependencies',
          severity: 'error',
          message: `## Dependencies lists more than ${MAX_EDGES} edges; name fewer blocks on each side of \`->\`, or use \`needs=\` on the blocks.`,
          place,
          ruleId: 'dependencies',
          source: 'maml',
        }),
      );
      break;
    }
    for (let s = 0; s + 1 < steps.length; s++) {
      for (const from of steps[s] ?? []) for (const to of steps[s + 1] ?? []) edges.push({ from, to, place });
    }
  }
}
