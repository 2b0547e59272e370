/**
 * Lays a run's block graph out left to right: one column per stage of the plan (blocks of a stage can run
 * together), blocks ordered within a column by the mean row of their upstream blocks (the barycenter heuristic
 * of Sugiyama-style layouts, one sweep), which keeps most edges short and uncrossed. Pure: no DOM, so the
 * tests run it under Node. A graph with a cycle has no stages; its blocks are laid out in one row, in order.
 */

export interface LayoutBlock {
  readonly id: string;
  readonly needs: readonly string[];
}

export interface PlacedBlock {
  readonly id: string;
  readonly column: number;
  readonly row: number;
}

export interface LayoutEdge {
  readonly from: string;
  readonly to: string;
}

export interface DagLayout {
  readonly blocks: readonly PlacedBlock[];
  readonly edges: readonly LayoutEdge[];
  readonly columns: number;
  readonly rows: number;
}

export function layoutDag(blocks: readonly LayoutBlock[], stages: readonly (readonly string[])[]): DagLayout {
  const known = new Set(blocks.map((b) => b.id));
  const columnsOf = stages.length > 0 ? stages : blocks.map((b) => [b.id]);
  const needs = new Map(blocks.map((b) => [b.id, b.needs.filter((n) => known.has(n))]));
  const row = new Map<string, number>();
  const placed: PlacedBlock[] = [];
  let rows = 0;
  columnsOf.forEach((stage, column) => {
    const ids = stage.filter((id) => known.has(id));
    const weight = (id: string): number => {
      const up = (needs.get(id) ?? []).map((n) => row.get(n)).filter((r): r is number => r !== undefined);
      return up.length === 0 ? Number.POSITIVE_INFINITY : up.reduce((a, b) => a + b, 0) / up.length;
    };
    const order = ids.map((id, i) => ({ id, i, w: weight(id) })).sort((a, b) => a.w - b.w || a.i - b.i);
    order.forEach(({ id }, r) => {
      row.set(id, r);
      placed.push({ id, column, row: r });
    });
    rows = Math.max(rows, order.length);
  });
  const edges = blocks.flatMap((b) => (needs.get(b.id) ?? []).map((from) => ({ from, to: b.id })));
  return { blocks: placed, edges, columns: columnsOf.length, rows };
}
