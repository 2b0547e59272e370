/**
 * Fairness metrics and bias mitigation (pure: no Node I/O). Metrics follow AIF360 (differences and ratios of an
 * unprivileged against a privileged side) and Fairlearn (spreads over all groups), with sample weights and any
 * number of groups, intersections included. Mitigation: reweighing before training, a randomised per-group
 * threshold optimizer after it. See docs/fairness.md.
 */
export type { DataProblem, DataProblemCode, DataResult } from './data-problem.js';
export { problemText } from './data-problem.js';
export type { BinarySample, GroupCounts, GroupTable } from './group-counts.js';
export { countGroups, pool } from './group-counts.js';
export type { Privilege, Sides } from './privilege.js';
export { sides } from './privilege.js';
export { selectionRate } from './metrics/selection-rate.js';
export { truePositiveRate } from './metrics/true-positive-rate.js';
export { falsePositiveRate } from './metrics/false-positive-rate.js';
export { statisticalParityDifference } from './metrics/statistical-parity-difference.js';
export { disparateImpact } from './metrics/disparate-impact.js';
export { demographicParityDifference } from './metrics/demographic-parity-difference.js';
export { demographicParityRatio } from './metrics/demographic-parity-ratio.js';
export { equalOpportunityDifference } from './metrics/equal-opportunity-difference.js';
export { averageOddsDifference } from './metrics/average-odds-difference.js';
export type { OddsAggregate } from './metrics/equalized-odds-difference.js';
export { equalizedOddsDifference } from './metrics/equalized-odds-difference.js';
export type { Performance } from './metrics/group-performance.js';
export { groupPerformance } from './metrics/group-performance.js';
export type { FairnessMetrics, FairnessReport, GroupRow, MetricName } from './fairness-report.js';
export { METRIC_NAMES, fairnessReport, fairnessTable } from './fairness-report.js';
export type { Reweighing, ReweighingCell } from './reweighing.js';
export { reweighing } from './reweighing.js';
export type { TableFormat, TextTable } from './tabular.js';
export { parseTable } from './tabular.js';
export type { ColumnSpec, Columns } from './columns.js';
export { INTERSECTION, sampleFromColumns, textColumns } from './columns.js';
export { reportText, reweighingText } from './report-text.js';
export type { FeatureEncoder, FeatureSpec, Matrix } from './feature-encoder.js';
export { encode, fitEncoder } from './feature-encoder.js';
export type { LogisticModel, LogisticOptions } from './logistic-regression.js';
export { predictProbabilities, trainLogisticRegression } from './logistic-regression.js';
export { seededRandom } from './random.js';
export type { GroupRule, ParityConstraint, ScoredSample, ThresholdPolicy } from './threshold-optimizer.js';
export { applyThresholdPolicy, favourableProbability, fitThresholdOptimizer } from './threshold-optimizer.js';
export type { ExperimentRow, ExperimentSpec, MethodName } from './mitigation-experiment.js';
export { mitigationExperiment, splitRows } from './mitigation-experiment.js';
export { ADULT_EXPERIMENT } from './adult-features.js';
export type {
  CheckedMetric,
  FairnessLevel,
  FairnessMitigation,
  FairnessPolicy,
  PolicyProblem,
} from './fairness-policy.js';
export {
  CHECKED_METRICS,
  DEFAULT_POLICY,
  RATIO_METRICS,
  SIDED_METRICS,
  compileFairnessPolicy,
  withinThreshold,
} from './fairness-policy.js';
export { outputColumns } from './output-columns.js';
export type { FairnessRole, GateVerdict } from './fairness-gate.js';
export { FAIRNESS_ROLES, checkBlockFairness, gateProblemText } from './fairness-gate.js';
