/**
 * The fairness table as plain text: one line per group, then one per summary metric. Used by `maml fairness
 * report` and in the message of a failed or warned gateway check, so both read the same.
 */
import type { FairnessReport, MetricName } from './fairness-report.js';
import { METRIC_NAMES } from './fairness-report.js';
import type { ReweighingCell } from './reweighing.js';

const num = (v: number | null, digits = 4): string => (v === null ? 'n/a' : v.toFixed(digits));

function columns(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) =>
    row
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}

export function reportText(
  report: FairnessReport,
  options: { metrics?: readonly MetricName[]; maxGroups?: number } = {},
): string {
  const withLabels = report.hasLabels;
  const head = [
    'group',
    'side',
    'rows',
    'selection',
    ...(withLabels ? ['TPR', 'FPR', 'accuracy', 'precision', 'recall'] : []),
  ];
  const shown = options.maxGroups === undefined ? report.groups : report.groups.slice(0, options.maxGroups);
  const body = shown.map((g) => [
    g.group,
    g.side,
    String(g.rows),
    num(g.selection_rate),
    ...(withLabels
      ? [num(g.true_positive_rate), num(g.false_positive_rate), num(g.accuracy), num(g.precision), num(g.recall)]
      : []),
  ]);
  const names = (options.metrics ?? METRIC_NAMES).filter((n) => withLabels || report.metrics[n] !== null);
  const metrics = columns(names.map((n) => [n, num(report.metrics[n], 6)]));
  const more = report.groups.length - shown.length;
  return [...columns([head, ...body]), ...(more > 0 ? [`… and ${more} more groups`] : []), '', ...metrics].join('\n');
}

export function reweighingText(cells: readonly ReweighingCell[], favourable: string): string {
  return columns([
    ['group', 'label', 'rows', 'weight'],
    ...cells.map((c) => [
      c.group,
      c.label === 1 ? favourable : `not ${favourable}`,
      String(c.rows),
      c.factor.toFixed(4),
    ]),
  ]).join('\n');
}
