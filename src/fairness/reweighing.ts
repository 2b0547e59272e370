/**
 * Reweighing (Kamiran & Calders, "Data preprocessing techniques for classification without discrimination",
 * KAIS 2012, §4.2): every row of group s with label y gets the weight W(s, y) = P(s)·P(y) / P(s, y), the
 * probabilities taken over the (weighted) training data. Under the new weights group and label are independent,
 * so every group has the same weighted rate of favourable labels, and a classifier trained with them sees no
 * correlation between the protected attribute and the label. AIF360's `Reweighing` does this for a privileged and
 * an unprivileged side; here s ranges over every group (with two groups the two are the same).
 */
import type { BinarySample } from './group-counts.js';

export interface ReweighingCell {
  readonly group: string;
  /** 1 = favourable label. */
  readonly label: 0 | 1;
  /** Weighted number of rows in the cell before reweighing. */
  readonly weight: number;
  readonly rows: number;
  /** W(s, y). */
  readonly factor: number;
}

export interface Reweighing {
  /** One cell per (group, label) present in the data, groups in order of first appearance, label 0 first. */
  readonly cells: readonly ReweighingCell[];
  /** The new weight of each row: its old weight times its cell's factor. */
  readonly weights: Float64Array;
}

/** Needs labels (`sample.labels`); the outcome (`predictions`) is not used. */
export function reweighing(
  sample: Pick<BinarySample, 'groups' | 'labels' | 'weights'> & { labels: ArrayLike<number> },
): Reweighing {
  const { groups, labels, weights } = sample;
  const n = groups.length;
  const cell = new Map<string, { weight: number; rows: number }>();
  const groupWeight = new Map<string, number>();
  const labelWeight = [0, 0];
  let total = 0;
  const order: string[] = [];
  for (let i = 0; i < n; i++) {
    const g = groups[i] as string;
    const y = labels[i] === 1 ? 1 : 0;
    const w = weights ? (weights[i] as number) : 1;
    if (!groupWeight.has(g)) order.push(g);
    groupWeight.set(g, (groupWeight.get(g) ?? 0) + w);
    labelWeight[y] = (labelWeight[y] as number) + w;
    total += w;
    const key = `${y}\u0000${g}`;
    const c = cell.get(key);
    if (c) {
      c.weight += w;
      c.rows += 1;
    } else cell.set(key, { weight: w, rows: 1 });
  }
  const factors = new Map<string, number>();
  const cells: ReweighingCell[] = [];
  for (const g of order)
    for (const y of [0, 1] as const) {
      const c = cell.get(`${y}\u0000${g}`);
      if (!c) continue;
      // P(s)·P(y) / P(s, y) = (W_s / W)(W_y / W) / (W_sy / W) = W_s·W_y / (W·W_sy)
      const factor =
        c.weight === 0 ? 0 : ((groupWeight.get(g) as number) * (labelWeight[y] as number)) / (total * c.weight);
      factors.set(`${y}\u0000${g}`, factor);
      cells.push({ group: g, label: y, weight: c.weight, rows: c.rows, factor });
    }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const y = labels[i] === 1 ? 1 : 0;
    out[i] = (weights ? (weights[i] as number) : 1) * (factors.get(`${y}\u0000${groups[i] as string}`) as number);
  }
  return { cells, weights: out };
}
