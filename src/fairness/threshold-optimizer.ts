/**
 * Post-processing for equal treatment (Hardt, Price & Srebro, "Equality of Opportunity in Supervised Learning",
 * NeurIPS 2016): given a score per row, each group gets its own randomised threshold rule, fitted on held-out data
 * so that the groups are treated alike (demographic parity: the same selection rate; equalized odds: the same true
 * and false positive rates) at the least loss of accuracy. As in Fairlearn's ThresholdOptimizer:
 *
 * - The deterministic rules of a group are "favourable when score ≥ t" for each distinct score t (and never).
 *   Mixing two of them at random reaches every point between them, so the reachable set is the convex hull of
 *   their points: for demographic parity the upper hull of (selection rate, correct decisions), for equalized
 *   odds the ROC convex hull (FPR, TPR), plus for the latter the random rules (p, p) on the diagonal.
 * - Demographic parity: the common selection rate r maximising Σ_g correct_g(r); each group mixes the two hull
 *   vertices around r. Equalized odds: the common FPR x maximising accuracy with TPR y = min_g hull_g(x); each
 *   group mixes its hull point at x with the random rule of rate x to come down to y.
 *
 * The common operating point is searched over every hull vertex of every group and a grid of 1,001 points, so the
 * search is exact for demographic parity (the objective is piecewise linear with breakpoints at the vertices).
 */
import { ok, problem, type DataResult } from './data-problem.js';
import { seededRandom } from './random.js';

export type ParityConstraint = 'demographic_parity' | 'equalized_odds';

/** P(favourable | score) = Σ weight·[score ≥ threshold] + constant. */
export interface GroupRule {
  readonly group: string;
  readonly terms: readonly { readonly threshold: number; readonly weight: number }[];
  readonly constant: number;
}

export interface ThresholdPolicy {
  readonly constraint: ParityConstraint;
  /** The common operating point: the selection rate, or the (FPR, TPR) pair. */
  readonly target: { readonly selectionRate?: number; readonly fpr?: number; readonly tpr?: number };
  readonly rules: readonly GroupRule[];
}

export interface ScoredSample {
  readonly groups: readonly string[];
  readonly scores: ArrayLike<number>;
  readonly labels: ArrayLike<number>;
  readonly weights?: ArrayLike<number>;
}

interface Vertex {
  readonly x: number;
  readonly y: number;
  /** The rule "score ≥ threshold" (+Infinity: never favourable). */
  readonly threshold: number;
}

interface GroupCurve {
  readonly group: string;
  readonly weight: number;
  readonly positives: number;
  readonly negatives: number;
  readonly hull: readonly Vertex[];
}

/** Upper concave hull of points sorted by x (monotone chain); keeps the first and last point. */
function upperHull(points: readonly Vertex[]): Vertex[] {
  const hull: Vertex[] = [];
  for (const pt of points) {
    // Equal x: keep the higher point.
    while (
      hull.length > 0 &&
      (hull[hull.length - 1] as Vertex).x === pt.x &&
      (hull[hull.length - 1] as Vertex).y <= pt.y
    )
      hull.pop();
    if (hull.length > 0 && (hull[hull.length - 1] as Vertex).x === pt.x) continue;
    while (hull.length >= 2) {
      const a = hull[hull.length - 2] as Vertex;
      const b = hull[hull.length - 1] as Vertex;
      // b is under the chord a → pt: drop it.
      if ((b.x - a.x) * (pt.y - a.y) - (b.y - a.y) * (pt.x - a.x) >= 0) hull.pop();
      else break;
    }
    hull.push(pt);
  }
  return hull;
}

/** The hull segment around x and the weight λ of its right end: point = (1 − λ)·left + λ·right. */
function locate(hull: readonly Vertex[], x: number): { left: Vertex; right: Vertex; lambda: number } {
  const last = hull[hull.length - 1] as Vertex;
  if (hull.length < 2 || x > last.x) return { left: last, right: last, lambda: 0 };
  // Binary search for the first vertex i ≥ 1 with x ≤ hull[i].x (the hull's x increase strictly).
  let lo = 1;
  let hi = hull.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x <= (hull[mid] as Vertex).x) hi = mid;
    else lo = mid + 1;
  }
  const right = hull[lo] as Vertex;
  const left = hull[lo - 1] as Vertex;
  const span = right.x - left.x;
  return { left, right, lambda: span === 0 ? 0 : Math.min(1, Math.max(0, (x - left.x) / span)) };
}

function hullAt(hull: readonly Vertex[], x: number): number {
  const { left, right, lambda } = locate(hull, x);
  return (1 - lambda) * left.y + lambda * right.y;
}

function check(sample: ScoredSample): DataResult<void> {
  const n = sample.groups.length;
  if (sample.scores.length !== n || sample.labels.length !== n || (sample.weights && sample.weights.length !== n))
    return problem({
      code: 'length_mismatch',
      message: 'groups, scores, labels and weights must have one entry per row',
    });
  if (n === 0) return problem({ code: 'no_rows', message: 'no rows to fit on' });
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(sample.scores[i] as number))
      return problem({
        code: 'not_a_number',
        column: 'score',
        row: i + 1,
        message: `the score ${String(sample.scores[i])} is not a finite number`,
      });
    const w = sample.weights ? (sample.weights[i] as number) : 1;
    if (!Number.isFinite(w) || w < 0)
      return problem({ code: 'bad_weight', column: 'weight', row: i + 1, message: `${String(w)} is not a weight` });
  }
  return ok(undefined);
}

/** Per group: rows sorted by score, descending, and the cumulative points of "score ≥ t" for each distinct t. */
function curves(sample: ScoredSample, constraint: ParityConstraint): GroupCurve[] {
  const byGroup = new Map<string, number[]>();
  sample.groups.forEach((g, i) => {
    const list = byGroup.get(g);
    if (list) list.push(i);
    else byGroup.set(g, [i]);
  });
  const out: GroupCurve[] = [];
  for (const [group, rows] of byGroup) {
    rows.sort((a, b) => (sample.scores[b] as number) - (sample.scores[a] as number));
    let weight = 0;
    let positives = 0;
    for (const i of rows) {
      const w = sample.weights ? (sample.weights[i] as number) : 1;
      weight += w;
      if (sample.labels[i] === 1) positives += w;
    }
    const negatives = weight - positives;
    // Start: never favourable.
    let tp = 0;
    let fp = 0;
    const point = (threshold: number): Vertex =>
      constraint === 'demographic_parity'
        ? { x: weight > 0 ? (tp + fp) / weight : 0, y: tp + (negatives - fp), threshold }
        : { x: negatives > 0 ? fp / negatives : 0, y: positives > 0 ? tp / positives : 0, threshold };
    const points: Vertex[] = [point(Number.POSITIVE_INFINITY)];
    for (let k = 0; k < rows.length;) {
      const t = sample.scores[rows[k] as number] as number;
      while (k < rows.length && sample.scores[rows[k] as number] === t) {
        const i = rows[k] as number;
        const w = sample.weights ? (sample.weights[i] as number) : 1;
        if (sample.labels[i] === 1) tp += w;
        else fp += w;
        k++;
      }
      points.push(point(t));
    }
    out.push({ group, weight, positives, negatives, hull: upperHull(points) });
  }
  return out;
}

function candidates(groups: readonly GroupCurve[]): number[] {
  const xs = new Set<number>();
  for (let i = 0; i <= 1000; i++) xs.add(i / 1000);
  for (const g of groups) for (const v of g.hull) xs.add(v.x);
  return [...xs].sort((a, b) => a - b);
}

/** Fits the per-group rules on held-out scored data. */
export function fitThresholdOptimizer(sample: ScoredSample, constraint: ParityConstraint): DataResult<ThresholdPolicy> {
  const checked = check(sample);
  if (!checked.ok) return checked;
  const groups = curves(sample, constraint);
  if (groups.length < 2)
    return problem({ code: 'empty_group', message: 'the held-out data has only one group: nothing to equalise' });
  switch (constraint) {
    case 'demographic_parity': {
      let best = { r: 0, correct: Number.NEGATIVE_INFINITY };
      for (const r of candidates(groups)) {
        let correct = 0;
        for (const g of groups) correct += hullAt(g.hull, r);
        if (correct > best.correct) best = { r, correct };
      }
      const rules = groups.map((g): GroupRule => {
        const { left, right, lambda } = locate(g.hull, best.r);
        return { group: g.group, terms: terms(left, right, lambda, 1), constant: 0 };
      });
      return ok({ constraint, target: { selectionRate: best.r }, rules });
    }
    case 'equalized_odds': {
      let best = { x: 0, y: 0, correct: Number.NEGATIVE_INFINITY };
      for (const x of candidates(groups)) {
        const y = Math.max(x, Math.min(...groups.map((g) => hullAt(g.hull, x))));
        let correct = 0;
        for (const g of groups) correct += y * g.positives + (1 - x) * g.negatives;
        if (correct > best.correct) best = { x, y, correct };
      }
      const rules = groups.map((g): GroupRule => {
        const { left, right, lambda } = locate(g.hull, best.x);
        const h = (1 - lambda) * left.y + lambda * right.y;
        // Mix the hull point (x, h) with the random rule (x, x) to reach (x, y).
        const q = h - best.x > 1e-15 ? Math.min(1, Math.max(0, (best.y - best.x) / (h - best.x))) : 1;
        return { group: g.group, terms: terms(left, right, lambda, q), constant: (1 - q) * best.x };
      });
      return ok({ constraint, target: { fpr: best.x, tpr: best.y }, rules });
    }
    default: {
      const never: never = constraint;
      throw new Error(`unknown constraint ${String(never)}`);
    }
  }
}

function terms(left: Vertex, right: Vertex, lambda: number, q: number): GroupRule['terms'] {
  const out: { threshold: number; weight: number }[] = [];
  if ((1 - lambda) * q > 0 && left.threshold !== Number.POSITIVE_INFINITY)
    out.push({ threshold: left.threshold, weight: (1 - lambda) * q });
  if (lambda * q > 0 && right.threshold !== Number.POSITIVE_INFINITY)
    out.push({ threshold: right.threshold, weight: lambda * q });
  return out;
}

/** P(favourable) of one row under its group's rule. */
export function favourableProbability(rule: GroupRule, score: number): number {
  let p = rule.constant;
  for (const t of rule.terms) if (score >= t.threshold) p += t.weight;
  return Math.min(1, Math.max(0, p));
}

/**
 * Applies a fitted policy: 1 where the row's randomised decision is favourable. Seeded, so a run is reproducible.
 * A NaN score or a group the policy was not fitted on is a problem naming the row.
 */
export function applyThresholdPolicy(
  policy: ThresholdPolicy,
  rows: { readonly groups: readonly string[]; readonly scores: ArrayLike<number> },
  seed = 1,
): DataResult<Uint8Array> {
  const rules = new Map(policy.rules.map((r) => [r.group, r]));
  const random = seededRandom(seed);
  const out = new Uint8Array(rows.groups.length);
  for (let i = 0; i < rows.groups.length; i++) {
    const score = rows.scores[i] as number;
    if (!Number.isFinite(score))
      return problem({
        code: 'not_a_number',
        column: 'score',
        row: i + 1,
        message: `the score ${String(score)} is not a finite number`,
      });
    const rule = rules.get(rows.groups[i] as string);
    if (!rule)
      return problem({
        code: 'empty_group',
        row: i + 1,
        message: `the group ${JSON.stringify(rows.groups[i])} was not in the data the optimizer was fitted on`,
      });
    out[i] = random() < favourableProbability(rule, score) ? 1 : 0;
  }
  return ok(out);
}
