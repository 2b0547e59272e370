// Reference implementation (the map-based graph this project used before the index-based one), kept for the
// differential test in ../fast-paths.test.ts.
/**
 * The task graph: executable blocks as nodes, edges from `needs=` attributes and `## Dependencies`. Reports edges
 * that name unknown blocks and cycles (with the cycle's path), and orders the blocks in stages: every block's
 * upstream blocks sit in earlier stages, and blocks of one stage can run in parallel.
 */
import { diagnostic, type Diagnostic, type Span } from '../../../src/shared/diagnostic.js';
import type { MamlDocument } from '../../../src/format/document.js';

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
  // Each missing id is reported once per place, with at most 20 known ids listed.
  const reported = new Set<string>();
  const knownIds =
    nodes.length <= 20
      ? nodes.join(', ') || '(none)'
      : `${nodes.slice(0, 20).join(', ')} and ${nodes.length - 20} more`;
  for (const edge of edges) {
    const missing = [edge.from, edge.to].filter((id) => !upstream.has(id));
    for (const id of missing) {
      const key = `${edge.place.start.offset}\u0000${id}`;
      if (reported.has(key)) continue;
      reported.add(key);
      const known = allIds.has(id);
      diagnostics.push(
        diagnostic({
          code: known ? 'dependency_not_executable' : 'unknown_block',
          severity: 'error',
          message: known
            ? `\`${id}\` is not an executable block, so it cannot be part of the task graph.`
            : `${edge.via === 'needs' ? '`needs=`' : '## Dependencies'} names \`${id}\`, but no block has that id. Known ids: ${knownIds}.`,
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

/**
 * Kahn's algorithm; a node's stage is one more than its latest upstream stage. Within a stage, document order.
 * Only called on acyclic graphs.
 */
function stagesOf(nodes: readonly string[], upstream: ReadonlyMap<string, readonly string[]>): string[][] {
  const downstream = downstreamOf(nodes, upstream);
  const indegree = new Map(nodes.map((id) => [id, upstream.get(id)?.length ?? 0]));
  const level = new Map<string, number>();
  const queue = nodes.filter((id) => indegree.get(id) === 0);
  for (const id of queue) level.set(id, 0);
  for (let head = 0; head < queue.length; head++) {
    const id = queue[head] as string;
    const next = (level.get(id) ?? 0) + 1;
    for (const d of downstream.get(id) ?? []) {
      level.set(d, Math.max(level.get(d) ?? 0, next));
      const left = (indegree.get(d) ?? 0) - 1;
      indegree.set(d, left);
      if (left === 0) queue.push(d);
    }
  }
  const stages: string[][] = [];
  for (const id of nodes) {
    const l = level.get(id) ?? 0;
    (stages[l] ??= []).push(id);
  }
  return stages;
}

function downstreamOf(
  nodes: readonly string[],
  upstream: ReadonlyMap<string, readonly string[]>,
): Map<string, string[]> {
  const downstream = new Map<string, string[]>(nodes.map((id) => [id, []]));
  for (const [to, froms] of upstream) for (const from of froms) downstream.get(from)?.push(to);
  return downstream;
}

/**
 * Iterative depth-first search with colours (no recursion, so long chains cannot overflow the stack); returns the
 * first cycle found as a path in dependency direction, first node repeated at the end.
 */
function findCycle(nodes: readonly string[], upstream: ReadonlyMap<string, readonly string[]>): string[] | undefined {
  const downstream = downstreamOf(nodes, upstream);
  const colour = new Map<string, 1 | 2>();
  for (const root of nodes) {
    if (colour.has(root)) continue;
    const path: string[] = [root];
    const cursor: number[] = [0];
    colour.set(root, 1);
    while (path.length > 0) {
      const id = path[path.length - 1] as string;
      const children = downstream.get(id) ?? [];
      const i = cursor[cursor.length - 1] as number;
      if (i >= children.length) {
        colour.set(id, 2);
        path.pop();
        cursor.pop();
        continue;
      }
      cursor[cursor.length - 1] = i + 1;
      const next = children[i] as string;
      const c = colour.get(next);
      if (c === 1) return [...path.slice(path.indexOf(next)), next];
      if (c === undefined) {
        colour.set(next, 1);
        path.push(next);
        cursor.push(0);
      }
    }
  }
  return undefined;
}
