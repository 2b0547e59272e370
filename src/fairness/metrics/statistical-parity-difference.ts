/**
 * Statistical parity difference (AIF360 `statistical_parity_difference`): P(Ŷ = 1 | unprivileged) −
 * P(Ŷ = 1 | privileged). 0 is parity; negative means the unprivileged side is selected less.
 */
import type { Sides } from '../privilege.js';
import { selectionRate } from './selection-rate.js';

export function statisticalParityDifference(s: Sides): number | null {
  const u = selectionRate(s.unprivileged);
  const p = selectionRate(s.privileged);
  return u === null || p === null ? null : u - p;
}
