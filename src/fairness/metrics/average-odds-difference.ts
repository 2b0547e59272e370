/**
 * Average odds difference (AIF360 `average_odds_difference`): ½ [(FPR_u − FPR_p) + (TPR_u − TPR_p)], u the
 * unprivileged and p the privileged side; needs labels.
 */
import type { Sides } from '../privilege.js';
import { falsePositiveRate } from './false-positive-rate.js';
import { truePositiveRate } from './true-positive-rate.js';

export function averageOddsDifference(s: Sides): number | null {
  const fu = falsePositiveRate(s.unprivileged);
  const fp = falsePositiveRate(s.privileged);
  const tu = truePositiveRate(s.unprivileged);
  const tp = truePositiveRate(s.privileged);
  if (fu === null || fp === null || tu === null || tp === null) return null;
  return (fu - fp + (tu - tp)) / 2;
}
