/**
 * Block and run outputs as the reader wants them: measurement counts as a histogram (SVG bars with the count and
 * share on each, and the same numbers in a table for screen readers), arrays as tables, objects as
 * definition lists, text as text. Everything as text nodes: an output holding markup shows the markup.
 */
import { histogram, isCounts } from '../lib/histogram.js';
import { h, svg, type Child } from './dom.js';

const MAX_ROWS = 200;
const MAX_COLUMNS = 20;

function scalar(v: unknown): string {
  return typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v));
}

export function histogramView(counts: Record<string, number>, name: string): HTMLElement {
  const bars = histogram(counts);
  const total = bars.reduce((n, b) => n + b.count, 0);
  const max = Math.max(...bars.map((b) => b.count), 1);
  const barW = 36;
  const gap = 10;
  const chartH = 160;
  const width = bars.length * (barW + gap) + gap;
  const chart = svg(
    'svg',
    {
      class: 'histogram',
      viewBox: `0 0 ${width} ${chartH + 40}`,
      width,
      height: chartH + 40,
      role: 'img',
      'aria-label': `Histogram of ${name}: ${bars.map((b) => `${b.label} ${b.count}`).join(', ')}`,
    },
    ...bars.map((b, i) => {
      const barH = Math.max(1, Math.round((b.count / max) * chartH));
      const x = gap + i * (barW + gap);
      return svg(
        'g',
        { class: 'bar', 'data-outcome': b.label, 'data-count': b.count },
        svg('title', {}, `${b.label}: ${b.count} of ${total} (${(b.share * 100).toFixed(1)} %)`),
        svg('rect', { x, y: chartH - barH + 14, width: barW, height: barH }),
        svg('text', { x: x + barW / 2, y: chartH - barH + 10, 'text-anchor': 'middle', class: 'count' }, b.count),
        svg('text', { x: x + barW / 2, y: chartH + 30, 'text-anchor': 'middle', class: 'label' }, b.label),
      );
    }),
  );
  const table = h(
    'table',
    { class: 'sr-only' },
    h('caption', {}, `Counts of ${name}`),
    h('tbody', {}, ...bars.map((b) => h('tr', {}, h('th', { scope: 'row' }, b.label), h('td', {}, b.count)))),
  );
  return h(
    'figure',
    { class: 'counts' },
    h('div', { class: 'scroll' }, chart),
    table,
    h('figcaption', {}, `${name}: ${total} shots`),
  );
}

function tableOf(rows: readonly unknown[], name: string): HTMLElement {
  const shown = rows.slice(0, MAX_ROWS);
  const objects = shown.every((r) => r !== null && typeof r === 'object' && !Array.isArray(r));
  const arrays = shown.every((r) => Array.isArray(r));
  let head: string[];
  let cells: (r: unknown) => unknown[];
  if (objects) {
    head = [...new Set(shown.flatMap((r) => Object.keys(r as object)))].slice(0, MAX_COLUMNS);
    cells = (r) => head.map((k) => (r as Record<string, unknown>)[k]);
  } else if (arrays) {
    const n = Math.min(MAX_COLUMNS, Math.max(...shown.map((r) => (r as unknown[]).length), 0));
    head = Array.from({ length: n }, (_, i) => String(i));
    cells = (r) => (r as unknown[]).slice(0, n);
  } else {
    head = ['value'];
    cells = (r) => [r];
  }
  return h(
    'div',
    { class: 'scroll' },
    h(
      'table',
      { class: 'data' },
      h('caption', {}, rows.length > MAX_ROWS ? `${name} (first ${MAX_ROWS} of ${rows.length} rows)` : name),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '#'), ...head.map((c) => h('th', { scope: 'col' }, c)))),
      h(
        'tbody',
        {},
        ...shown.map((r, i) =>
          h(
            'tr',
            {},
            h('th', { scope: 'row' }, i),
            ...cells(r).map((c) => h('td', {}, c === undefined ? '' : scalar(c))),
          ),
        ),
      ),
    ),
  );
}

export function valueView(value: unknown, name: string, depth = 0): Child {
  if (isCounts(value)) return histogramView(value, name);
  if (Array.isArray(value) && value.length > 0 && depth < 3) return tableOf(value, name);
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && depth < 3) {
    const entries = Object.entries(value);
    if (entries.length === 0) return h('code', {}, '{}');
    return h(
      'dl',
      { class: 'outputs' },
      ...entries.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, valueView(v, k, depth + 1))]),
    );
  }
  const text = scalar(value);
  return text.includes('\n') || text.length > 120
    ? h('pre', { class: 'value' }, text)
    : h('code', { class: 'value' }, text);
}
