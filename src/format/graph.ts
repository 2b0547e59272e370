/**
 * The task graph: executable blocks as nodes, edges from `needs=` attributes and `## Dependencies`. Reports edges
 * that name unknown blocks and cycles (with the cycle's path), and orders the blocks in stages: every block's
 * upstream blocks sit in earlier stages, and blocks of one stage can run in parallel.
 */
import { diagnostic, type Diagnostic, type Span } from '../shared/diagnostic.js';
import type { MamlDocument } from './document.js';

export interface TaskGraph {
  /** Executable block ids in document order. */
  readonly nodes: readonly string[];
  /** Direct upstream block ids of each node. */
  readonly upstream: ReadonlyMap<string, readonly string[]>;
  /** Topological levels; empty when there is a cycle. */
  readonly stages: readonly (readonly string[])[];
  /** One cycle's path (first id repeated at the end), when there is a cycle. */
  readonly cycle: readonly string[] | undefined;
  readonly diagnostics: readonly Diagnostic[];
}

interface Edge {
  from: string;
  to: string;
  place: Span;
  via: 'needs' | 'dependencies';
}

export function buildGraph(doc: MamlDocument): TaskGraph {
  const diagnostics: Diagnostic[] = [];
  const executable = doc.blocks.filter((b) => b.executable);
  const nodes = [...new Set(executable.map((b) => b.id))];
  const allIds = new Set(doc.blocks.map((b) => b.id));
  const edges: Edge[] = [];
  for (const block of executable) {
    for (const need of block.needs) edges.push({ from: need, to: block.id, place: block.span, via: 'needs' });
  }
  for (const dep of doc.dependencies) edges.push({ ...dep, via: 'dependencies' });

  const upstream = new Map<string, string[]>(nodes.map((id) => [id, []]));
  for (const edge of edges) {
    const missing = [edge.from, edge.to].filter((id) => !upstream.has(id));
    for (const id of missing) {
      const known = allIds.has(id);
      diagnostics.push(
        diagnostic({
          code: known ? 'dependency_not_executable' : 'unknown_block',
          severity: 'error',
          message: known
            ? `\`${id}\` is not an executable block, so it cannot be part of the task graph.`
            : `${edge.via === 'needs' ? '`needs=`' : '## Dependencies'} names \`${id}\`, but no block has that id. Known ids: ${nodes.join(', ') || '(none)'}.`,
          place: edge.place,
          ruleId: 'graph',
          source: 'maml',
        }),
      );
    }
    if (missing.length > 0) continue;
    const ups = upstream.get(edge.to) as string[];
    if (edge.from === edge.to) {
      diagnostics.push(
        diagnostic({
          code: 'dependency_cycle',
          severity: 'error',
          message: `Block \`${edge.from}\` depends on itself.`,
          place: edge.place,
          ruleId: 'graph',
          source: 'maml',
        }),
      );
    } else if (!ups.includes(edge.from)) ups.push(edge.from);
  }

  const cycle = findCycle(nodes, upstream);
  if (cycle) {
    const first = edges.find((e) => e.to === cycle[1] && e.from === cycle[0]) ?? edges[0];
    diagnostics.push(
      diagnostic({
        code: 'dependency_cycle',
        severity: 'error',
        message: `The blocks depend on each other in a cycle: ${cycle.join(' -> ')}. Remove one of these edges.`,
        place: first?.place ?? { line: 1, column: 1, offset: 0 },
        ruleId: 'graph',
        source: 'maml',
      }),
    );
  }
  return { nodes, upstream, stages: cycle ? [] : stagesOf(nodes, upstream), cycle, diagnostics };
}

/** Kahn's algorithm by levels; nodes within a stage keep document order. */
function stagesOf(nodes: readonly string[], upstream: ReadonlyMap<string, readonly string[]>): string[][] {
  const level = new Map<string, number>();
  const stages: string[][] = [];
  let remaining = [...nodes];
  while (remaining.length > 0) {
    const ready = remaining.filter((id) => (upstream.get(id) ?? []).every((u) => level.has(u)));
    if (ready.length === 0) break;
    for (const id of ready) level.set(id, stages.length);
    stages.push(ready);
    remaining = remaining.filter((id) => !level.has(id));
  }
  return stages;
}

/** Depth-first search with colours; returns the first cycle found as a path in dependency direction. */
function findCycle(nodes: readonly string[], upstream: ReadonlyMap<string, readonly string[]>): string[] | undefined {
  const downstream = new Map<string, string[]>(nodes.map((id) => [id, []]));
  for (const [to, froms] of upstream) for (const from of froms) downstream.get(from)?.push(to);
  const colour = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    colour.set(id, 1);
    stack.push(id);
    for (const next of downstream.get(id) ?? []) {
      const c = colour.get(next);
      if (c === 1) return [...stack.slice(stack.indexOf(next)), next];
      if (c === undefined) {
        const found = visit(next);
        if (found) return found;
      }
    }
    stack.pop();
    colour.set(id, 2);
    return undefined;
  };
  for (const id of nodes) {
    if (colour.has(id)) continue;
    const found = visit(id);
    if (found) return found;
  }
  return undefined;
}
