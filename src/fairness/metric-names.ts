/**
 * The names of the summary metrics (snake case, as `maml fairness report --json` and `fairness:` front matter use
 * them), apart from the code that computes them so that the policy check of `maml validate` loads only this.
 */

/** The summary metrics, by name. */
export interface FairnessMetrics {
  readonly statistical_parity_difference: number | null;
  readonly disparate_impact: number | null;
  readonly demographic_parity_difference: number | null;
  readonly demographic_parity_ratio: number | null;
  readonly equal_opportunity_difference: number | null;
  readonly average_odds_difference: number | null;
  readonly equalized_odds_difference: number | null;
  readonly equalized_odds_difference_mean: number | null;
  readonly accuracy: number | null;
}

export type MetricName = keyof FairnessMetrics;

export const METRIC_NAMES: readonly MetricName[] = [
  'statistical_parity_difference',
  'disparate_impact',
  'demographic_parity_difference',
  'demographic_parity_ratio',
  'equal_opportunity_difference',
  'average_odds_difference',
  'equalized_odds_difference',
  'equalized_odds_difference_mean',
  'accuracy',
];
