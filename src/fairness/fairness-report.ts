/**
 * The whole fairness table of a sample: per group (rows, weight, selection rate, and with labels TPR, FPR,
 * accuracy, precision, recall) and the summary metrics under their snake_case names, which `--json`, the run
 * record and the ticket use. Metrics that need labels are null without them; a metric whose denominator is 0
 * (a group never selected, a group with no favourable label) is null too, never a made-up number.
 */
import { countGroups, type BinarySample, type GroupTable } from './group-counts.js';
import { ok, type DataResult } from './data-problem.js';
import { sides, type Privilege } from './privilege.js';
import { averageOddsDifference } from './metrics/average-odds-difference.js';
import { demographicParityDifference } from './metrics/demographic-parity-difference.js';
import { demographicParityRatio } from './metrics/demographic-parity-ratio.js';
import { disparateImpact } from './metrics/disparate-impact.js';
import { equalOpportunityDifference } from './metrics/equal-opportunity-difference.js';
import { equalizedOddsDifference } from './metrics/equalized-odds-difference.js';
import { falsePositiveRate } from './metrics/false-positive-rate.js';
import { groupPerformance } from './metrics/group-performance.js';
import { selectionRate } from './metrics/selection-rate.js';
import { statisticalParityDifference } from './metrics/statistical-parity-difference.js';
import { truePositiveRate } from './metrics/true-positive-rate.js';

export interface GroupRow {
  readonly group: string;
  /** unprivileged or privileged side. */
  readonly side: 'unprivileged' | 'privileged' | 'neither';
  readonly rows: number;
  readonly weight: number;
  readonly selection_rate: number | null;
  readonly true_positive_rate: number | null;
  readonly false_positive_rate: number | null;
  readonly accuracy: number | null;
  readonly precision: number | null;
  readonly recall: number | null;
}

import type { FairnessMetrics } from './metric-names.js';

export { METRIC_NAMES } from './metric-names.js';
export type { FairnessMetrics, MetricName } from './metric-names.js';

export interface FairnessReport {
  readonly rows: number;
  readonly hasLabels: boolean;
  readonly unprivileged: readonly string[];
  readonly privileged: readonly string[];
  readonly groups: readonly GroupRow[];
  readonly metrics: FairnessMetrics;
}

export function fairnessTable(table: GroupTable, privilege: Privilege, column?: string): DataResult<FairnessReport> {
  const s = sides(table, privilege, column);
  if (!s.ok) return s;
  const unpriv = new Set(privilege.unprivileged);
  const privileged = privilege.privileged ?? [...table.groups.keys()].filter((k) => !unpriv.has(k));
  const priv = new Set(privileged);
  const labels = table.hasLabels;
  const groups: GroupRow[] = [...table.groups].map(([group, c]) => {
    const perf = groupPerformance(c);
    return {
      group,
      side: unpriv.has(group) ? 'unprivileged' : priv.has(group) ? 'privileged' : 'neither',
      rows: c.rows,
      weight: c.weight,
      selection_rate: selectionRate(c),
      true_positive_rate: labels ? truePositiveRate(c) : null,
      false_positive_rate: labels ? falsePositiveRate(c) : null,
      accuracy: labels ? perf.accuracy : null,
      precision: labels ? perf.precision : null,
      recall: labels ? perf.recall : null,
    };
  });
  let all = { weight: 0, correct: 0 };
  for (const c of table.groups.values()) all = { weight: all.weight + c.weight, correct: all.correct + c.tp + c.tn };
  const metrics: FairnessMetrics = {
    statistical_parity_difference: statisticalParityDifference(s.value),
    disparate_impact: disparateImpact(s.value),
    demographic_parity_difference: demographicParityDifference(table),
    demographic_parity_ratio: demographicParityRatio(table),
    equal_opportunity_difference: labels ? equalOpportunityDifference(s.value) : null,
    average_odds_difference: labels ? averageOddsDifference(s.value) : null,
    equalized_odds_difference: labels ? equalizedOddsDifference(table, 'worst_case') : null,
    equalized_odds_difference_mean: labels ? equalizedOddsDifference(table, 'mean') : null,
    accuracy: labels && all.weight > 0 ? all.correct / all.weight : null,
  };
  const rows = [...table.groups.values()].reduce((n, c) => n + c.rows, 0);
  return ok({ rows, hasLabels: labels, unprivileged: [...privilege.unprivileged], privileged, groups, metrics });
}

/** Counts the sample and computes its table. */
export function fairnessReport(
  sample: BinarySample,
  privilege: Privilege,
  column?: string,
): DataResult<FairnessReport> {
  return fairnessTable(countGroups(sample), privilege, column);
}
