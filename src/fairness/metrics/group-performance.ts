/** Accuracy, precision and recall of one group (weighted); each undefined where its denominator is 0. */
import { ratio, type GroupCounts } from '../group-counts.js';

export interface Performance {
  readonly accuracy: number | null;
  readonly precision: number | null;
  readonly recall: number | null;
}

export function groupPerformance(c: GroupCounts): Performance {
  return {
    accuracy: ratio(c.tp + c.tn, c.weight),
    precision: ratio(c.tp, c.tp + c.fp),
    recall: ratio(c.tp, c.tp + c.fn),
  };
}
