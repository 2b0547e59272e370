/**
 * The run's block graph as SVG: stages left to right (lib/dag-layout.ts), each block a box with its id, language,
 * state, head and duration, coloured by state and named in words too. `update` redraws one block's box when its
 * state changes, so a live run of many blocks costs one small change per event.
 */
import { layoutDag } from '../lib/dag-layout.js';
import type { BlockState } from '../lib/run-state.js';
import { duration, svg } from './dom.js';

const W = 168;
const H = 46;
const GAP_X = 56;
const GAP_Y = 14;
const PAD = 8;

export interface DagView {
  readonly element: SVGSVGElement;
  update(block: BlockState): void;
}

function clip(text: string, n: number): string {
  return text.length > n ? `${text.slice(0, n - 1)}…` : text;
}

export function dagView(
  blocks: readonly { id: string; needs: readonly string[] }[],
  stages: readonly (readonly string[])[],
  select: (id: string) => void,
): DagView {
  const layout = layoutDag(blocks, stages);
  const at = new Map(
    layout.blocks.map((b) => [b.id, { x: PAD + b.column * (W + GAP_X), y: PAD + b.row * (H + GAP_Y) }]),
  );
  const width = PAD * 2 + Math.max(1, layout.columns) * (W + GAP_X) - GAP_X;
  const height = PAD * 2 + Math.max(1, layout.rows) * (H + GAP_Y) - GAP_Y;
  const edges = layout.edges.flatMap((e) => {
    const a = at.get(e.from);
    const b = at.get(e.to);
    if (!a || !b) return [];
    const x1 = a.x + W;
    const y1 = a.y + H / 2;
    const x2 = b.x;
    const y2 = b.y + H / 2;
    const mid = (x1 + x2) / 2;
    return [svg('path', { class: 'edge', d: `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}` })];
  });
  const nodes = new Map<
    string,
    { g: SVGGElement; state: SVGTextElement; title: SVGTitleElement; detail: SVGTextElement }
  >();
  const boxes = layout.blocks.map((b) => {
    const p = at.get(b.id) as { x: number; y: number };
    const title = svg('title', {}, b.id);
    const detail = svg('text', { x: p.x + 8, y: p.y + 36, class: 'detail' }, '');
    const state = svg('text', { x: p.x + W - 8, y: p.y + 17, class: 'state', 'text-anchor': 'end' }, 'pending');
    const g = svg(
      'g',
      {
        class: 'node',
        'data-block': b.id,
        'data-state': 'pending',
        tabindex: 0,
        role: 'button',
        'aria-label': `block ${b.id}: pending`,
        onclick: () => select(b.id),
        onkeydown: (e: Event) => {
          const key = (e as KeyboardEvent).key;
          if (key === 'Enter' || key === ' ') {
            e.preventDefault();
            select(b.id);
          }
        },
      },
      title,
      svg('rect', { x: p.x, y: p.y, width: W, height: H, rx: 6 }),
      svg('text', { x: p.x + 8, y: p.y + 17, class: 'id' }, clip(b.id, 14)),
      state,
      detail,
    );
    nodes.set(b.id, { g, state, title, detail });
    return g;
  });
  const element = svg(
    'svg',
    {
      class: 'dag',
      width,
      height,
      viewBox: `0 0 ${width} ${height}`,
      role: 'group',
      'aria-label': `Block graph: ${layout.blocks.length} blocks in ${layout.columns} stages, left to right`,
    },
    svg('g', { class: 'edges' }, ...edges),
    ...boxes,
  );
  return {
    element,
    update(block) {
      const n = nodes.get(block.id);
      if (!n) return;
      n.g.setAttribute('data-state', block.status);
      n.g.setAttribute('aria-label', `block ${block.id}: ${block.status}`);
      n.state.textContent = block.status;
      const parts = [block.lang, block.head ?? '', block.durationMs === null ? '' : duration(block.durationMs)];
      if (block.attempts > 1) parts.push(`${block.attempts - 1} retries`);
      n.detail.textContent = clip(parts.filter(Boolean).join(' · '), 28);
      n.title.textContent = `${block.id} (${block.lang}): ${block.status}${block.error ? ` — ${block.error.message}` : ''}`;
    },
  };
}
