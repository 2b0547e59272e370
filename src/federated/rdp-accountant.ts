/**
 * Rényi differential privacy of the sampled Gaussian mechanism (Mironov 2017; Mironov, Talwar and Zhang 2019,
 * "Rényi Differential Privacy of the Sampled Gaussian Mechanism") and its conversion to (epsilon, delta).
 *
 * One step samples each unit (here: each client) with probability q, adds the clipped contributions and Gaussian
 * noise of standard deviation z times the clip. Its RDP at order alpha is log(A_alpha)/(alpha - 1), with A_alpha
 * from §3.3 of the 2019 paper: a finite binomial sum for integer alpha, an infinite series split at z0 with erfc
 * terms for fractional alpha. RDP composes by addition over steps. Two conversions to (epsilon, delta):
 *   classic (Mironov 2017, Prop. 3):    eps = rdp + log(1/delta) / (alpha - 1)
 *   tighter (Canonne, Kamath, Steinke 2020, Prop. 12; Balle et al. 2020, Thm. 21):
 *                                        eps = rdp + log((alpha - 1)/alpha) - (log delta + log alpha)/(alpha - 1)
 * each minimised over the orders.
 */
import { logAdd, logErfc, logSub } from './log-math.js';

/** The orders TensorFlow Privacy tries (its DP-SGD tool and its default list), merged. */
export const DEFAULT_ORDERS: readonly number[] = [
  ...new Set([
    ...Array.from({ length: 99 }, (_, i) => 1 + (i + 1) / 10),
    1.25,
    1.75,
    2.25,
    ...Array.from({ length: 59 }, (_, i) => 5 + i),
    128,
    256,
    512,
  ]),
].sort((a, b) => a - b);

/** log A_alpha for integer alpha: sum_k C(alpha,k) (1-q)^(alpha-k) q^k exp((k^2 - k) / (2 sigma^2)). */
function logAInteger(q: number, sigma: number, alpha: number): number {
  let logA = -Infinity;
  let logBinom = 0;
  for (let k = 0; k <= alpha; k++) {
    if (k > 0) logBinom += Math.log((alpha - k + 1) / k);
    const term = logBinom + k * Math.log(q) + (alpha - k) * Math.log1p(-q) + (k * k - k) / (2 * sigma * sigma);
    logA = logAdd(logA, term);
  }
  return logA;
}

/** log A_alpha for fractional alpha (Mironov, Talwar, Zhang 2019, §3.3): two series summed until negligible. */
function logAFractional(q: number, sigma: number, alpha: number): number {
  let logA0 = -Infinity;
  let logA1 = -Infinity;
  const z0 = sigma * sigma * Math.log(1 / q - 1) + 0.5;
  let logCoef = 0;
  let coefSign = 1;
  for (let i = 0; i < 100000; i++) {
    if (i > 0) {
      const factor = (alpha - i + 1) / i;
      coefSign *= Math.sign(factor);
      logCoef += Math.log(Math.abs(factor));
    }
    const j = alpha - i;
    const logT0 = logCoef + i * Math.log(q) + j * Math.log1p(-q);
    const logT1 = logCoef + j * Math.log(q) + i * Math.log1p(-q);
    const logE0 = Math.log(0.5) + logErfc((i - z0) / (Math.SQRT2 * sigma));
    const logE1 = Math.log(0.5) + logErfc((z0 - j) / (Math.SQRT2 * sigma));
    const logS0 = logT0 + (i * i - i) / (2 * sigma * sigma) + logE0;
    const logS1 = logT1 + (j * j - j) / (2 * sigma * sigma) + logE1;
    if (coefSign > 0) {
      logA0 = logAdd(logA0, logS0);
      logA1 = logAdd(logA1, logS1);
    } else {
      logA0 = logSub(logA0, logS0);
      logA1 = logSub(logA1, logS1);
    }
    if (Math.max(logS0, logS1) < -30) break;
  }
  return logAdd(logA0, logA1);
}

/** RDP of one step of the sampled Gaussian mechanism at `order`. */
export function rdpSampledGaussian(q: number, noiseMultiplier: number, order: number): number {
  if (q === 0) return 0;
  if (noiseMultiplier === 0) return Infinity;
  if (q === 1) return order / (2 * noiseMultiplier * noiseMultiplier);
  const logA = Number.isInteger(order)
    ? logAInteger(q, noiseMultiplier, order)
    : logAFractional(q, noiseMultiplier, order);
  return logA / (order - 1);
}

export interface PrivacySpent {
  /** Classic conversion. */
  readonly epsilon: number;
  /** The order at which the classic conversion is smallest. */
  readonly order: number;
  /** Tighter conversion (Canonne, Kamath, Steinke 2020). */
  readonly epsilonTight: number;
  readonly orderTight: number;
}

/** (epsilon, delta) after `steps` compositions, from per-order RDP values. */
export function epsilonFromRdp(orders: readonly number[], rdp: readonly number[], delta: number): PrivacySpent {
  let best = { epsilon: Infinity, order: NaN, epsilonTight: Infinity, orderTight: NaN };
  const logDelta = Math.log(delta);
  orders.forEach((alpha, i) => {
    const r = rdp[i] as number;
    if (alpha <= 1 || !Number.isFinite(r)) return;
    const classic = r - logDelta / (alpha - 1);
    const tight = r + Math.log1p(-1 / alpha) - (logDelta + Math.log(alpha)) / (alpha - 1);
    if (classic < best.epsilon) best = { ...best, epsilon: classic, order: alpha };
    if (tight < best.epsilonTight) best = { ...best, epsilonTight: tight, orderTight: alpha };
  });
  return {
    epsilon: Math.max(0, best.epsilon),
    order: best.order,
    epsilonTight: Math.max(0, best.epsilonTight),
    orderTight: best.orderTight,
  };
}

export interface AccountantParams {
  readonly samplingRate: number;
  readonly noiseMultiplier: number;
  readonly steps: number;
  readonly delta: number;
  readonly orders?: readonly number[];
}

/** Says what is wrong with the parameters, or `undefined` when they are usable. */
export function checkAccountantParams(p: Omit<AccountantParams, 'noiseMultiplier'>): string | undefined {
  if (!(p.samplingRate > 0 && p.samplingRate <= 1))
    return `the sampling rate must be in (0, 1] (got ${p.samplingRate})`;
  if (!Number.isInteger(p.steps) || p.steps < 0 || p.steps > 1e9)
    return `steps must be an integer from 0 to 1e9 (got ${p.steps})`;
  if (!(p.delta > 0 && p.delta < 1)) return `delta must be in (0, 1) (got ${p.delta})`;
  return undefined;
}

/** The privacy spent after `steps` rounds of the sampled Gaussian mechanism. */
export function privacySpent(p: AccountantParams): PrivacySpent {
  const orders = p.orders ?? DEFAULT_ORDERS;
  const rdp = orders.map((a) => p.steps * rdpSampledGaussian(p.samplingRate, p.noiseMultiplier, a));
  return epsilonFromRdp(orders, rdp, p.delta);
}

/**
 * The smallest noise multiplier (to 1e-4 relative) whose classic-conversion epsilon after `steps` is at most the
 * target; `undefined` when even z = 1000 is not enough.
 */
export function noiseForEpsilon(
  p: Omit<AccountantParams, 'noiseMultiplier'> & { readonly targetEpsilon: number },
): number | undefined {
  const eps = (z: number): number => privacySpent({ ...p, noiseMultiplier: z }).epsilon;
  let hi = 1;
  while (eps(hi) > p.targetEpsilon) {
    hi *= 2;
    if (hi > 1000) return undefined;
  }
  let lo = 0;
  while (hi - lo > 1e-4 * hi) {
    const mid = (lo + hi) / 2;
    if (mid > 0 && eps(mid) <= p.targetEpsilon) hi = mid;
    else lo = mid;
  }
  return hi;
}
