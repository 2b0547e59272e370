/**
 * The weighted confusion counts of each group: everything the metrics need. A sample is a list of rows, each with
 * its group (an intersection of several protected attributes is one group, `Female × Black`), a binary outcome
 * (1 = favourable: a prediction, or the label itself when a data set is measured), optionally its true label and
 * its sample weight (default 1). Counts are sums of weights, as in AIF360 (instance weights) and Fairlearn
 * (sample_weight).
 */

export interface BinarySample {
  /** Group key of each row. */
  readonly groups: readonly string[];
  /** 1 where the row's outcome is favourable, else 0. */
  readonly predictions: ArrayLike<number>;
  /** 1 where the true label is favourable, else 0; without it only the selection-rate metrics are defined. */
  readonly labels?: ArrayLike<number>;
  /** Non-negative finite weight of each row (default 1). */
  readonly weights?: ArrayLike<number>;
}

export interface GroupCounts {
  /** Sum of the weights of the group's rows. */
  readonly weight: number;
  readonly rows: number;
  /** Weight of the rows with a favourable outcome. */
  readonly selected: number;
  /** Weighted confusion counts (all 0 when the sample has no labels). */
  readonly tp: number;
  readonly fp: number;
  readonly tn: number;
  readonly fn: number;
}

export interface GroupTable {
  /** Groups in order of first appearance. */
  readonly groups: ReadonlyMap<string, GroupCounts>;
  readonly hasLabels: boolean;
}

const EMPTY: GroupCounts = { weight: 0, rows: 0, selected: 0, tp: 0, fp: 0, tn: 0, fn: 0 };

/** Counts a sample's groups. The arrays must have one entry per row (checked by the callers that build them). */
export function countGroups(sample: BinarySample): GroupTable {
  const { groups, predictions, labels, weights } = sample;
  const acc = new Map<
    string,
    { weight: number; rows: number; selected: number; tp: number; fp: number; tn: number; fn: number }
  >();
  for (let i = 0; i < groups.length; i++) {
    const key = groups[i] as string;
    let c = acc.get(key);
    if (!c) acc.set(key, (c = { ...EMPTY }));
    const w = weights ? (weights[i] as number) : 1;
    const p = predictions[i] === 1;
    c.weight += w;
    c.rows += 1;
    if (p) c.selected += w;
    if (labels) {
      const y = labels[i] === 1;
      if (p && y) c.tp += w;
      else if (p) c.fp += w;
      else if (y) c.fn += w;
      else c.tn += w;
    }
  }
  return { groups: acc, hasLabels: labels !== undefined };
}

/** The counts of several groups taken together. */
export function pool(table: GroupTable, keys: readonly string[]): GroupCounts {
  const out = { ...EMPTY };
  for (const key of keys) {
    const c = table.groups.get(key);
    if (!c) continue;
    out.weight += c.weight;
    out.rows += c.rows;
    out.selected += c.selected;
    out.tp += c.tp;
    out.fp += c.fp;
    out.tn += c.tn;
    out.fn += c.fn;
  }
  return out;
}

/** a / b, or null where b is 0 (a rate of an empty set is undefined, not 0). */
export function ratio(a: number, b: number): number | null {
  return b === 0 ? null : a / b;
}

/** Largest minus smallest value, or null when a value is undefined or there is none. */
export function spread(values: readonly (number | null)[]): number | null {
  const range = extremes(values);
  return range === null ? null : range.max - range.min;
}

/** Smallest and largest value (a loop: a spread call would overflow the stack on many groups), or null. */
export function extremes(values: readonly (number | null)[]): { min: number; max: number } | null {
  if (values.length === 0) return null;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (v === null) return null;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}
