/**
 * The `fairness:` front matter, compiled once into a FairnessPolicy (plain data, carried in the run plan).
 *
 *   fairness: true                      # the documented defaults below, with a warning naming them
 *   fairness:
 *     protected: [sex]                  # column(s) of the predictions block's outputs; several = intersection
 *     unprivileged: [Female]            # needed by the metrics that compare two sides
 *     favourable: ">50K"                # value(s) of the prediction and label columns (default 1 / true)
 *     prediction: prediction            # the prediction column (default `prediction`)
 *     label: label                      # the true label column (default: `label` when the outputs have one)
 *     metric: statistical_parity_difference
 *     threshold: 0.1
 *     level: strict                     # strict: the run fails above the threshold; warn: it warns
 *     mitigate: reweighing              # weights for the block marked fairness=training
 *
 * Differences pass when |value| ≤ threshold; ratios (disparate_impact, demographic_parity_ratio) pass when
 * min(value, 1/value) ≥ threshold. A metric that is not defined on the data never passes.
 */
import { METRIC_NAMES, type MetricName } from './metric-names.js';

export type CheckedMetric = Exclude<MetricName, 'accuracy'>;
export type FairnessLevel = 'strict' | 'warn';
export type FairnessMitigation = 'reweighing' | 'threshold_optimizer';

export interface FairnessPolicy {
  readonly protected: readonly string[];
  readonly unprivileged: readonly string[] | null;
  readonly privileged: readonly string[] | null;
  readonly favourable: readonly string[] | null;
  readonly prediction: string;
  readonly label: string | null;
  readonly metric: CheckedMetric;
  readonly threshold: number;
  readonly level: FairnessLevel;
  readonly mitigate: FairnessMitigation | null;
  /** Set for a bare `fairness: true`: the sentence naming the defaults used. */
  readonly defaults: string | null;
}

export interface PolicyProblem {
  /** JSON Pointer inside the front matter. */
  readonly path: string;
  readonly message: string;
}

export const RATIO_METRICS: readonly CheckedMetric[] = ['disparate_impact', 'demographic_parity_ratio'];
/** Metrics that compare an unprivileged with a privileged side. */
export const SIDED_METRICS: readonly CheckedMetric[] = [
  'statistical_parity_difference',
  'disparate_impact',
  'equal_opportunity_difference',
  'average_odds_difference',
];
export const CHECKED_METRICS = METRIC_NAMES.filter((m): m is CheckedMetric => m !== 'accuracy');

export const DEFAULT_POLICY: FairnessPolicy = {
  protected: ['sex'],
  unprivileged: null,
  privileged: null,
  favourable: null,
  prediction: 'prediction',
  label: null,
  metric: 'demographic_parity_difference',
  threshold: 0.1,
  level: 'warn',
  mitigate: null,
  defaults:
    'fairness: true uses the defaults protected: [sex], prediction: prediction, label: label (when present), metric: demographic_parity_difference, threshold: 0.1, level: warn; write a mapping to choose',
};

const KEYS = [
  'protected',
  'unprivileged',
  'privileged',
  'favourable',
  'prediction',
  'label',
  'metric',
  'threshold',
  'level',
  'mitigate',
];

function stringList(value: unknown, path: string, problems: PolicyProblem[]): string[] | null {
  const list = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? [value] : value;
  if (
    !Array.isArray(list) ||
    list.length === 0 ||
    !list.every((v) => ['string', 'number', 'boolean'].includes(typeof v))
  ) {
    problems.push({ path, message: 'must be a value or a non-empty list of values' });
    return null;
  }
  return list.map((v: unknown) => String(v));
}

function columnName(value: unknown, path: string, problems: PolicyProblem[]): string | null {
  if (typeof value === 'string' && value !== '' && value.length <= 128) return value;
  problems.push({ path, message: 'must be a column name (a non-empty string)' });
  return null;
}

/** The policy, or null when fairness is off (absent, false); problems name the key. */
export function compileFairnessPolicy(value: unknown): { policy: FairnessPolicy | null; problems: PolicyProblem[] } {
  if (value === undefined || value === null || value === false) return { policy: null, problems: [] };
  if (value === true) return { policy: DEFAULT_POLICY, problems: [] };
  if (typeof value !== 'object' || Array.isArray(value))
    return {
      policy: null,
      problems: [
        {
          path: '/fairness',
          message:
            '`fairness` is true, false or a mapping (protected, unprivileged, favourable, metric, threshold, level, mitigate)',
        },
      ],
    };
  const v = value as Record<string, unknown>;
  const problems: PolicyProblem[] = [];
  for (const key of Object.keys(v))
    if (!KEYS.includes(key))
      problems.push({ path: `/fairness/${key}`, message: `unknown key \`${key}\`; the keys are ${KEYS.join(', ')}` });
  const protectedColumns =
    v['protected'] === undefined ? ['sex'] : stringList(v['protected'], '/fairness/protected', problems);
  const unprivileged =
    v['unprivileged'] === undefined ? null : stringList(v['unprivileged'], '/fairness/unprivileged', problems);
  const privileged =
    v['privileged'] === undefined ? null : stringList(v['privileged'], '/fairness/privileged', problems);
  const favourable =
    v['favourable'] === undefined ? null : stringList(v['favourable'], '/fairness/favourable', problems);
  const prediction =
    v['prediction'] === undefined ? 'prediction' : columnName(v['prediction'], '/fairness/prediction', problems);
  const label = v['label'] === undefined ? null : columnName(v['label'], '/fairness/label', problems);
  let metric: CheckedMetric = unprivileged ? 'statistical_parity_difference' : 'demographic_parity_difference';
  if (v['metric'] !== undefined) {
    if (typeof v['metric'] === 'string' && (CHECKED_METRICS as readonly string[]).includes(v['metric']))
      metric = v['metric'] as CheckedMetric;
    else problems.push({ path: '/fairness/metric', message: `must be one of ${CHECKED_METRICS.join(', ')}` });
  }
  if (SIDED_METRICS.includes(metric) && unprivileged === null && v['unprivileged'] === undefined)
    problems.push({
      path: '/fairness/unprivileged',
      message: `${metric} compares the unprivileged group with the others: name it (unprivileged: [VALUE])`,
    });
  const ratio = RATIO_METRICS.includes(metric);
  let threshold = ratio ? 0.8 : 0.1;
  if (v['threshold'] !== undefined) {
    const t = v['threshold'];
    if (typeof t === 'number' && Number.isFinite(t) && t >= 0 && (!ratio || t <= 1)) threshold = t;
    else
      problems.push({
        path: '/fairness/threshold',
        message: ratio
          ? 'must be a number from 0 to 1 (the smallest ratio allowed, e.g. 0.8)'
          : 'must be a number of 0 or more (the largest difference allowed, e.g. 0.1)',
      });
  }
  let level: FairnessLevel = 'strict';
  if (v['level'] !== undefined) {
    if (v['level'] === 'strict' || v['level'] === 'warn') level = v['level'];
    else
      problems.push({ path: '/fairness/level', message: 'must be strict (the run fails above the threshold) or warn' });
  }
  let mitigate: FairnessMitigation | null = null;
  if (v['mitigate'] !== undefined) {
    if (v['mitigate'] === 'reweighing' || v['mitigate'] === 'threshold_optimizer') mitigate = v['mitigate'];
    else problems.push({ path: '/fairness/mitigate', message: 'must be reweighing or threshold_optimizer' });
  }
  if (problems.length > 0 || protectedColumns === null || prediction === null) return { policy: null, problems };
  return {
    policy: {
      protected: protectedColumns,
      unprivileged,
      privileged,
      favourable,
      prediction,
      label,
      metric,
      threshold,
      level,
      mitigate,
      defaults: null,
    },
    problems,
  };
}

/** Whether a metric value is within the policy's threshold (an undefined value never is). */
export function withinThreshold(policy: Pick<FairnessPolicy, 'metric' | 'threshold'>, value: number | null): boolean {
  if (value === null || !Number.isFinite(value)) return false;
  if (RATIO_METRICS.includes(policy.metric)) return value > 0 && Math.min(value, 1 / value) >= policy.threshold;
  return Math.abs(value) <= policy.threshold;
}
