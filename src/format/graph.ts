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

/** Ids listed in an `unknown_block` message; a document with thousands of blocks gets the first ones. */
const KNOWN_IDS_SHOWN = 20;

interface Edge {
  from: string;
  to: string;
  place: Span;
  via: 'needs' | 'dependencies';
}

export function buildGraph(doc: MamlDocument): TaskGraph {
  const diagnostics: Diagnostic[] = [];
  // Nodes are numbered once (first block with an id wins); the graph algorithms below work on those numbers, so
  // each id is hashed once per edge end rather than once per map access.
  const number = new Map<string, number>();
  const nodes: string[] = [];
  let hasOtherIds = false;
  for (const b of doc.blocks) {
    if (!b.executable) {
      hasOtherIds = true;
      continue;
    }
    if (!number.has(b.id)) {
      number.set(b.id, nodes.length);
      nodes.push(b.id);
    }
  }
  const allIds = hasOtherIds ? new Set(doc.blocks.map((b) => b.id)) : number;
  const edges: Edge[] = [];
  for (const block of doc.blocks) {
    if (!block.executable) continue;
    for (const need of block.needs) edges.push({ from: need, to: block.id, place: block.span, via: 'needs' });
  }
  for (const dep of doc.dependencies) edges.push({ ...dep, via: 'dependencies' });

  const ups: number[][] = nodes.map(() => []);
  // One diagnostic per id and place: a fan-out line (`a1,…,ak -> x`) names `x` k times.
  const reported = new Set<string>();
  const knownIds =
    nodes.length <= KNOWN_IDS_SHOWN
      ? nodes.join(', ') || '(none)'
      : `${nodes.slice(0, KNOWN_IDS_SHOWN).join(', ')} and ${nodes.length - KNOWN_IDS_SHOWN} more`;
  const unknown = (id: string, edge: Edge): void => {
    const key = `${edge.place.start.offset}\u0000${id}`;
    if (reported.has(key)) return;
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
  };
  // Edges already in `ups`, as `to * n + from`: a block may list one id many times.
  const linked = new Set<number>();
  for (const edge of edges) {
    const from = number.get(edge.from);
    const to = number.get(edge.to);
    if (from === undefined) unknown(edge.from, edge);
    if (to === undefined) unknown(edge.to, edge);
    if (from === undefined || to === undefined) continue;
    const list = ups[to] as number[];
    if (from === to) {
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
    } else if (!linked.has(to * nodes.length + from)) {
      linked.add(to * nodes.length + from);
      list.push(from);
    }
  }

  const downs = downstreamOf(ups);
  const cycleAt = findCycle(downs);
  const cycle = cycleAt?.map((i) => nodes[i] as string);
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
  const upstream = new Map<string, string[]>();
  nodes.forEach((id, i) =>
    upstream.set(
      id,
      (ups[i] as number[]).map((u) => nodes[u] as string),
    ),
  );
  const stages = cycle ? [] : stagesOf(ups, downs).map((stage) => stage.map((i) => nodes[i] as string));
  return { nodes, upstream, stages, cycle, diagnostics };
}

/**
 * Kahn's algorithm; a node's stage is one more than its latest upstream stage. Within a stage, document order.
 * Only called on acyclic graphs.
 */
function stagesOf(ups: readonly (readonly number[])[], downs: readonly (readonly number[])[]): number[][] {
  const n = ups.length;
  const indegree = new Int32Array(n);
  const level = new Int32Array(n);
  const queue: number[] = [];
  for (let i = 0; i < n; i++) {
    indegree[i] = (ups[i] as number[]).length;
    if (indegree[i] === 0) queue.push(i);
  }
  for (let head = 0; head < queue.length; head++) {
    const id = queue[head] as number;
    const next = (level[id] as number) + 1;
    for (const d of downs[id] as number[]) {
      if ((level[d] as number) < next) level[d] = next;
      if (--(indegree[d] as number) === 0) queue.push(d);
    }
  }
  const stages: number[][] = [];
  for (let i = 0; i < n; i++) (stages[level[i] as number] ??= []).push(i);
  return stages;
}

/** Direct downstream nodes of each node, in node order. */
function downstreamOf(ups: readonly (readonly number[])[]): number[][] {
  const downs: number[][] = ups.map(() => []);
  ups.forEach((froms, to) => {
    for (const from of froms) (downs[from] as number[]).push(to);
  });
  return downs;
}

/**
 * Iterative depth-first search with colours (no recursion, so long chains cannot overflow the stack); returns the
 * first cycle found as a path in dependency direction, first node repeated at the end.
 */
function findCycle(downs: readonly (readonly number[])[]): number[] | undefined {
  // 0 unvisited, 1 on the current path, 2 done.
  const colour = new Uint8Array(downs.length);
  for (let root = 0; root < downs.length; root++) {
    if (colour[root] !== 0) continue;
    const path: number[] = [root];
    const cursor: number[] = [0];
    colour[root] = 1;
    while (path.length > 0) {
      const id = path[path.length - 1] as number;
      const children = downs[id] as number[];
      const i = cursor[cursor.length - 1] as number;
      if (i >= children.length) {
        colour[id] = 2;
        path.pop();
        cursor.pop();
        continue;
      }
      cursor[cursor.length - 1] = i + 1;
      const next = children[i] as number;
      const c = colour[next];
      if (c === 1) return [...path.slice(path.indexOf(next)), next];
      if (c === 0) {
        colour[next] = 1;
        path.push(next);
        cursor.push(0);
      }
    }
  }
  return undefined;
}
