/**
 * Training the classifier: L2-regularized logistic regression fitted by AdaGrad (Duchi, Hazan and Singer 2011)
 * over sparse unit-length feature vectors, examples visited in an order shuffled by a seeded generator
 * (mulberry32), so the same examples and options give the same weights bit for bit. Each class's examples are
 * weighed so that both classes carry the same total weight, whatever their counts.
 */
import type { SparseVector } from './features.js';

export interface TrainingExample {
  readonly x: SparseVector;
  readonly y: 0 | 1;
}

export interface TrainOptions {
  readonly bits: number;
  readonly epochs: number;
  /** Step size of AdaGrad. */
  readonly rate: number;
  /** L2 penalty per example visit (lazy: applied to the weights an example touches). */
  readonly l2: number;
  readonly seed: number;
}

export interface TrainedWeights {
  readonly bias: number;
  readonly weights: Float64Array;
}

/** mulberry32: a small seeded generator, enough to shuffle deterministically. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function trainLogistic(examples: readonly TrainingExample[], o: TrainOptions): TrainedWeights {
  const dims = 1 << o.bits;
  const w = new Float64Array(dims);
  const g2 = new Float64Array(dims);
  let bias = 0;
  let biasG2 = 0;
  const positives = examples.filter((e) => e.y === 1).length;
  const negatives = examples.length - positives;
  const classWeight = [examples.length / (2 * Math.max(1, negatives)), examples.length / (2 * Math.max(1, positives))];
  const order = examples.map((_, i) => i);
  const random = mulberry32(o.seed);
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    // Fisher–Yates with the seeded generator.
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const t = order[i] ?? 0;
      order[i] = order[j] ?? 0;
      order[j] = t;
    }
    for (const k of order) {
      const e = examples[k];
      if (!e) continue;
      const { indices, values } = e.x;
      let z = bias;
      for (let m = 0; m < indices.length; m++) z += (w[indices[m] ?? 0] ?? 0) * (values[m] ?? 0);
      const p = 1 / (1 + Math.exp(-z));
      const err = (p - e.y) * (classWeight[e.y] ?? 1);
      for (let m = 0; m < indices.length; m++) {
        const i = indices[m] ?? 0;
        const wi = w[i] ?? 0;
        const g = err * (values[m] ?? 0) + o.l2 * wi;
        const acc = (g2[i] ?? 0) + g * g;
        g2[i] = acc;
        w[i] = wi - (o.rate * g) / Math.sqrt(acc + 1e-8);
      }
      biasG2 += err * err;
      bias -= (o.rate * err) / Math.sqrt(biasG2 + 1e-8);
    }
  }
  return { bias, weights: w };
}
