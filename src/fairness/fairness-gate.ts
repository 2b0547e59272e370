/**
 * The gateway's fairness check of one block's outputs (pure; src/runtime/fairness-check.ts wires it into a run).
 *
 * - A block marked `fairness=predictions` outputs its rows as columns: the protected attribute(s), the prediction
 *   and (optionally) the true label. The policy's metric is computed and compared with its threshold; the block
 *   gains the output `fairness_report` (the whole table, the metric, the verdict), which the run records and the
 *   block's ticket binds through its output hash.
 *   With `mitigate: threshold_optimizer` it also outputs `score` and `split`: the optimizer is fitted on the rows
 *   whose split is `fit` (held-out data) and applied to the rest, whose adjusted decisions are the output
 *   `fair_prediction` (null on the fitting rows); the check is then made on them, and the report shows both.
 * - A block marked `fairness=training` (with `mitigate: reweighing`) outputs its training rows' protected
 *   attribute(s) and label: it gains the outputs `sample_weights` (Kamiran–Calders, one per row) and `reweighing`
 *   (the weight of each group and label), which the blocks downstream get as inputs.
 */
import { INTERSECTION, sampleFromColumns, type Columns } from './columns.js';
import { ok, problem, problemText, type DataResult } from './data-problem.js';
import { fairnessReport, type FairnessReport } from './fairness-report.js';
import { withinThreshold, type FairnessPolicy } from './fairness-policy.js';
import type { BinarySample } from './group-counts.js';
import { outputColumns } from './output-columns.js';
import type { Privilege } from './privilege.js';
import { reportText } from './report-text.js';
import { reweighing } from './reweighing.js';
import { applyThresholdPolicy, fitThresholdOptimizer, type ThresholdPolicy } from './threshold-optimizer.js';
import { selectionRate } from './metrics/selection-rate.js';
import { countGroups } from './group-counts.js';

export { FAIRNESS_ROLES } from './fairness-roles.js';
export type { FairnessRole } from './fairness-roles.js';
import type { FairnessRole } from './fairness-roles.js';

export interface GateVerdict {
  /** Outputs to add to the block's. */
  readonly additions: Readonly<Record<string, unknown>>;
  readonly passed: boolean;
  readonly metric: string;
  readonly value: number | null;
  /** One line, and the table: for the error or warning when the check did not pass. */
  readonly message: string;
}

/** Groups shown in a message's table (the report output has them all). */
const MESSAGE_GROUPS = 30;
/** More groups than this and the threshold optimizer is refused: its search grows with groups × vertices. */
export const MAX_OPTIMIZER_GROUPS = 1000;
const SCORE = 'score';
const SPLIT = 'split';

function privilegeFor(policy: FairnessPolicy, sample: BinarySample): Privilege {
  if (policy.unprivileged)
    return { unprivileged: policy.unprivileged, ...(policy.privileged ? { privileged: policy.privileged } : {}) };
  // No side named (metrics over all groups only): the group selected least is shown as the unprivileged one.
  const table = countGroups(sample);
  let least: [string, number] | undefined;
  for (const [g, c] of table.groups) {
    const rate = selectionRate(c) ?? 0;
    if (!least || rate < least[1]) least = [g, rate];
  }
  return { unprivileged: least ? [least[0]] : [] };
}

function restrict(table: Columns, rows: readonly number[]): Columns {
  return { header: table.header, rowCount: rows.length, cell: (r, c) => table.cell(rows[r] as number, c) };
}

function rounded(v: number | null): string {
  return v === null ? 'undefined' : String(Math.round(v * 1e6) / 1e6);
}

export function checkBlockFairness(
  policy: FairnessPolicy,
  role: FairnessRole,
  outputs: Readonly<Record<string, unknown>>,
): DataResult<GateVerdict> {
  const label = policy.label ?? (Array.isArray(outputs['label']) ? 'label' : null);
  const column = policy.protected.join(INTERSECTION);
  switch (role) {
    case 'training': {
      if (policy.mitigate !== 'reweighing')
        return problem({
          code: 'bad_row',
          message: 'a block marked fairness=training needs `mitigate: reweighing` in the fairness front matter',
        });
      const labelColumn = policy.label ?? 'label';
      const table = outputColumns(outputs, [...policy.protected, labelColumn]);
      if (!table.ok) return table;
      const sample = sampleFromColumns(table.value, {
        protected: policy.protected,
        label: labelColumn,
        ...(policy.favourable ? { favourable: policy.favourable } : {}),
      });
      if (!sample.ok) return sample;
      const rw = reweighing({ groups: sample.value.groups, labels: sample.value.predictions });
      return ok({
        additions: { sample_weights: Array.from(rw.weights), reweighing: rw.cells.map((c) => ({ ...c })) },
        passed: true,
        metric: 'reweighing',
        value: null,
        message: `reweighing weights for ${rw.weights.length} rows`,
      });
    }
    case 'predictions':
      break;
    default: {
      const never: never = role;
      return problem({ code: 'bad_row', message: `unknown fairness role ${String(never)}` });
    }
  }
  const optimize = policy.mitigate === 'threshold_optimizer';
  const needed = [
    ...policy.protected,
    policy.prediction,
    ...(label ? [label] : []),
    ...(optimize ? [SCORE, SPLIT] : []),
  ];
  const table = outputColumns(outputs, needed);
  if (!table.ok) return table;
  const spec = {
    protected: policy.protected,
    prediction: policy.prediction,
    ...(label ? { label } : {}),
    ...(policy.favourable ? { favourable: policy.favourable } : {}),
  };
  let evaluated: Columns = table.value;
  let before: FairnessReport | undefined;
  let fitted: ThresholdPolicy | undefined;
  let fairPredictions: (number | null)[] | undefined;
  if (optimize) {
    if (!label)
      return problem({
        code: 'missing_column',
        column: 'label',
        message: 'the threshold optimizer needs the true labels: output a `label` column',
      });
    const split = table.value.header.indexOf(SPLIT);
    const fitRows: number[] = [];
    const testRows: number[] = [];
    for (let r = 0; r < table.value.rowCount; r++) {
      const s = table.value.cell(r, split);
      if (s === 'fit') fitRows.push(r);
      else if (s === 'test') testRows.push(r);
      else
        return problem({
          code: 'bad_row',
          column: SPLIT,
          row: r + 1,
          message: `${JSON.stringify(s)}: the split of each row is fit (held-out rows the optimizer is fitted on) or test`,
        });
    }
    if (fitRows.length === 0 || testRows.length === 0)
      return problem({
        code: 'no_rows',
        column: SPLIT,
        message: 'the optimizer needs rows of both splits, fit and test',
      });
    const scoreAt = table.value.header.indexOf(SCORE);
    const scores = (rows: readonly number[]): DataResult<Float64Array> => {
      const out = new Float64Array(rows.length);
      for (let k = 0; k < rows.length; k++) {
        const text = table.value.cell(rows[k] as number, scoreAt);
        const x = text.trim() === '' ? Number.NaN : Number(text);
        if (!Number.isFinite(x))
          return problem({
            code: 'not_a_number',
            column: SCORE,
            row: (rows[k] as number) + 1,
            message: `${JSON.stringify(text)} is not a finite score`,
          });
        out[k] = x;
      }
      return ok(out);
    };
    const fitTable = restrict(table.value, fitRows);
    const fitSample = sampleFromColumns(fitTable, spec);
    if (!fitSample.ok) return fitSample;
    const fitScores = scores(fitRows);
    if (!fitScores.ok) return fitScores;
    const constraint = [
      'statistical_parity_difference',
      'disparate_impact',
      'demographic_parity_difference',
      'demographic_parity_ratio',
    ].includes(policy.metric)
      ? 'demographic_parity'
      : 'equalized_odds';
    const fitGroups = new Set(fitSample.value.groups).size;
    if (fitGroups > MAX_OPTIMIZER_GROUPS)
      return problem({
        code: 'too_large',
        column,
        message: `${fitGroups} groups: the threshold optimizer takes at most ${MAX_OPTIMIZER_GROUPS}; use fewer protected columns or coarser values`,
      });
    const labels = fitSample.value.labels as Uint8Array;
    const thresholdPolicy = fitThresholdOptimizer(
      { groups: fitSample.value.groups, scores: fitScores.value, labels },
      constraint,
    );
    if (!thresholdPolicy.ok) return thresholdPolicy;
    fitted = thresholdPolicy.value;
    evaluated = restrict(table.value, testRows);
    const testSample = sampleFromColumns(evaluated, spec);
    if (!testSample.ok) return testSample;
    const beforeReport = fairnessReport(testSample.value, privilegeFor(policy, testSample.value), column);
    if (!beforeReport.ok) return beforeReport;
    before = beforeReport.value;
    const testScores = scores(testRows);
    if (!testScores.ok) return testScores;
    const decided = applyThresholdPolicy(fitted, { groups: testSample.value.groups, scores: testScores.value });
    if (!decided.ok) return decided;
    fairPredictions = new Array<number | null>(table.value.rowCount).fill(null);
    testRows.forEach((r, k) => ((fairPredictions as (number | null)[])[r] = decided.value[k] as number));
    const after = fairnessReport(
      { ...testSample.value, predictions: decided.value },
      privilegeFor(policy, testSample.value),
      column,
    );
    if (!after.ok) return after;
    return verdict(policy, after.value, { before, fitted, fairPredictions });
  }
  const sample = sampleFromColumns(evaluated, spec);
  if (!sample.ok) return sample;
  const report = fairnessReport(sample.value, privilegeFor(policy, sample.value), column);
  if (!report.ok) return report;
  return verdict(policy, report.value, {});
}

function verdict(
  policy: FairnessPolicy,
  report: FairnessReport,
  extra: { before?: FairnessReport; fitted?: ThresholdPolicy; fairPredictions?: (number | null)[] },
): DataResult<GateVerdict> {
  const value = report.metrics[policy.metric];
  const passed = withinThreshold(policy, value);
  const bound = ['disparate_impact', 'demographic_parity_ratio'].includes(policy.metric)
    ? `at least ${policy.threshold}`
    : `at most ${policy.threshold} in absolute value`;
  const head = `fairness: ${policy.metric} = ${rounded(value)} on ${report.rows} rows (${policy.protected.join(INTERSECTION)}), ${passed ? 'within' : 'outside'} the threshold (${bound})${extra.fitted ? ' after the threshold optimizer' : ''}`;
  const message = passed ? head : `${head}\n${reportText(report, { maxGroups: MESSAGE_GROUPS })}`;
  const jsonFinite = (v: number): number | string => (Number.isFinite(v) ? v : v > 0 ? 'inf' : '-inf');
  return ok({
    additions: {
      fairness_report: {
        metric: policy.metric,
        value,
        threshold: policy.threshold,
        level: policy.level,
        passed,
        rows: report.rows,
        protected: [...policy.protected],
        unprivileged: [...report.unprivileged],
        privileged: [...report.privileged],
        metrics: { ...report.metrics },
        groups: report.groups.map((g) => ({ ...g })),
        ...(policy.defaults ? { defaults: policy.defaults } : {}),
        ...(extra.before
          ? { before: { metrics: { ...extra.before.metrics }, groups: extra.before.groups.map((g) => ({ ...g })) } }
          : {}),
        ...(extra.fitted
          ? {
              threshold_optimizer: {
                constraint: extra.fitted.constraint,
                target: { ...extra.fitted.target },
                rules: extra.fitted.rules.map((r) => ({
                  group: r.group,
                  constant: r.constant,
                  terms: r.terms.map((t) => ({ threshold: jsonFinite(t.threshold), weight: t.weight })),
                })),
              },
            }
          : {}),
      },
      ...(extra.fairPredictions ? { fair_prediction: extra.fairPredictions } : {}),
    },
    passed,
    metric: policy.metric,
    value,
    message,
  });
}

/** A data problem of a checked block, as one line. */
export function gateProblemText(blockId: string, p: Parameters<typeof problemText>[0]): string {
  return `block ${blockId}: the fairness check cannot read its outputs: ${problemText(p)}`;
}
