/**
 * Equalized odds difference (Fairlearn `equalized_odds_difference`, between groups): the spread (largest minus
 * smallest over all groups) of the true positive rate and of the false positive rate, aggregated as the larger of
 * the two (`worst_case`, Fairlearn's default) or their mean (`mean`). 0 when every group has the same error rates.
 */
import { spread, type GroupTable } from '../group-counts.js';
import { falsePositiveRate } from './false-positive-rate.js';
import { truePositiveRate } from './true-positive-rate.js';

export type OddsAggregate = 'worst_case' | 'mean';

export function equalizedOddsDifference(table: GroupTable, agg: OddsAggregate = 'worst_case'): number | null {
  const counts = [...table.groups.values()];
  const tpr = spread(counts.map(truePositiveRate));
  const fpr = spread(counts.map(falsePositiveRate));
  if (tpr === null || fpr === null) return null;
  switch (agg) {
    case 'worst_case':
      return Math.max(tpr, fpr);
    case 'mean':
      return (tpr + fpr) / 2;
    default: {
      const never: never = agg;
      throw new Error(`unknown aggregate ${String(never)}`);
    }
  }
}
