/**
 * Weighted L2-regularised logistic regression, fitted by Newton's method (iteratively reweighted least squares):
 * minimises Σ wᵢ·log(1 + exp(−ỹᵢ·(β·xᵢ + b))) / Σ wᵢ + ½λ‖β‖² (the intercept is not penalised). The Hessian is
 * d × d and solved by Cholesky, which the ridge term keeps positive definite; a handful of iterations converge for
 * the tens of features a tabular data set one-hot encodes to. Deterministic: no random start, no sampling.
 * Written here because the project needs only this one model and no dependency does it in plain TypeScript.
 */
import type { Matrix } from './feature-encoder.js';

export interface LogisticModel {
  readonly coefficients: Float64Array;
  readonly intercept: number;
  readonly iterations: number;
}

export interface LogisticOptions {
  /** Ridge strength λ (default 1e-4). */
  readonly l2?: number;
  readonly maxIterations?: number;
  /** Stop when the largest Newton step is below this (default 1e-8). */
  readonly tolerance?: number;
}

const sigmoid = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/** Solves A x = b in place for a symmetric positive definite A (n × n, row-major); returns x. */
function choleskySolve(a: Float64Array, b: Float64Array, n: number): Float64Array {
  for (let j = 0; j < n; j++) {
    let s = a[j * n + j] as number;
    for (let k = 0; k < j; k++) s -= (a[j * n + k] as number) ** 2;
    const diag = Math.sqrt(Math.max(s, 1e-300));
    a[j * n + j] = diag;
    for (let i = j + 1; i < n; i++) {
      let t = a[i * n + j] as number;
      for (let k = 0; k < j; k++) t -= (a[i * n + k] as number) * (a[j * n + k] as number);
      a[i * n + j] = t / diag;
    }
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i] as number;
    for (let k = 0; k < i; k++) s -= (a[i * n + k] as number) * (y[k] as number);
    y[i] = s / (a[i * n + i] as number);
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i] as number;
    for (let k = i + 1; k < n; k++) s -= (a[k * n + i] as number) * (x[k] as number);
    x[i] = s / (a[i * n + i] as number);
  }
  return x;
}

export function trainLogisticRegression(
  x: Matrix,
  labels: ArrayLike<number>,
  weights?: ArrayLike<number>,
  options: LogisticOptions = {},
): LogisticModel {
  const { rows: n, cols: d, data } = x;
  const l2 = options.l2 ?? 1e-4;
  const maxIterations = options.maxIterations ?? 50;
  const tolerance = options.tolerance ?? 1e-8;
  const p = d + 1; // the intercept is the last parameter
  const beta = new Float64Array(p);
  let total = 0;
  for (let i = 0; i < n; i++) total += weights ? (weights[i] as number) : 1;
  const scale = total > 0 ? 1 / total : 1;
  let iterations = 0;
  const row = new Float64Array(p);
  row[d] = 1;
  for (; iterations < maxIterations; iterations++) {
    const grad = new Float64Array(p);
    const hess = new Float64Array(p * p);
    for (let i = 0; i < n; i++) {
      const w = (weights ? (weights[i] as number) : 1) * scale;
      if (w === 0) continue;
      let z = beta[d] as number;
      for (let j = 0; j < d; j++) {
        const v = data[i * d + j] as number;
        row[j] = v;
        z += (beta[j] as number) * v;
      }
      const mu = sigmoid(z);
      const r = w * (mu - (labels[i] === 1 ? 1 : 0));
      const h = w * mu * (1 - mu);
      for (let j = 0; j < p; j++) {
        const vj = row[j] as number;
        if (vj === 0) continue;
        grad[j] = (grad[j] as number) + r * vj;
        const hv = h * vj;
        // Lower triangle only; one-hot rows are mostly zero, which the skips exploit.
        for (let k = 0; k <= j; k++) {
          const vk = row[k] as number;
          if (vk !== 0) hess[j * p + k] = (hess[j * p + k] as number) + hv * vk;
        }
      }
    }
    for (let j = 0; j < p; j++) {
      for (let k = j + 1; k < p; k++) hess[j * p + k] = hess[k * p + j] as number;
      // Ridge on the coefficients; a tiny one on the intercept only keeps the system definite.
      const ridge = j < d ? l2 : 1e-10;
      hess[j * p + j] = (hess[j * p + j] as number) + ridge;
      grad[j] = (grad[j] as number) + ridge * (beta[j] as number);
    }
    const step = choleskySolve(hess, grad, p);
    let largest = 0;
    for (let j = 0; j < p; j++) {
      beta[j] = (beta[j] as number) - (step[j] as number);
      largest = Math.max(largest, Math.abs(step[j] as number));
    }
    if (largest < tolerance) {
      iterations++;
      break;
    }
  }
  return { coefficients: beta.slice(0, d), intercept: beta[d] as number, iterations };
}

/** P(favourable | x) for each row. */
export function predictProbabilities(model: LogisticModel, x: Matrix): Float64Array {
  const { rows: n, cols: d, data } = x;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let z = model.intercept;
    for (let j = 0; j < d; j++) z += (model.coefficients[j] as number) * (data[i * d + j] as number);
    out[i] = sigmoid(z);
  }
  return out;
}
