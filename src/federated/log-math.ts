/**
 * Arithmetic in log space for the privacy accountant: log(e^a + e^b), log(e^a - e^b), log erfc(x). The accountant
 * adds terms of wildly different magnitudes (e^{-40} beside e^{+700}), which plain doubles cannot.
 */

export function logAdd(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const hi = Math.max(a, b);
  return hi + Math.log1p(Math.exp(Math.min(a, b) - hi));
}

/** log(e^a - e^b) for a >= b; -Infinity when they are equal. */
export function logSub(a: number, b: number): number {
  if (b === -Infinity) return a;
  if (a < b) throw new RangeError('logSub needs a >= b');
  if (a === b) return -Infinity;
  // log(e^a - e^b) = a + log(1 - e^{b-a})
  return a + Math.log(-Math.expm1(b - a));
}

/**
 * log erfc(x). For x >= 0: erfc(x) = t exp(-x^2 + P(t)), t = 1/(1 + x/2), the Chebyshev-fitted exponent of
 * Numerical Recipes (2nd ed., §6.2, fractional error below 1.2e-7 for every x), which keeps its precision in the
 * far tail because the exponent is taken in log space. For x < 0, erfc(x) = 2 - erfc(-x).
 */
export function logErfc(x: number): number {
  if (x < 0) return Math.log(2 - Math.exp(logErfc(-x)));
  const t = 1 / (1 + 0.5 * x);
  const p =
    -1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t *
                  (-0.18628806 +
                    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  return Math.log(t) - x * x + p;
}
