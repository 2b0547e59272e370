/**
 * Equal opportunity difference (AIF360 `equal_opportunity_difference`): TPR(unprivileged) − TPR(privileged);
 * needs labels.
 */
import type { Sides } from '../privilege.js';
import { truePositiveRate } from './true-positive-rate.js';

export function equalOpportunityDifference(s: Sides): number | null {
  const u = truePositiveRate(s.unprivileged);
  const p = truePositiveRate(s.privileged);
  return u === null || p === null ? null : u - p;
}
