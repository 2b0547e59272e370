/**
 * Disparate impact (AIF360 `disparate_impact`): P(Ŷ = 1 | unprivileged) / P(Ŷ = 1 | privileged). 1 is parity;
 * the "four-fifths rule" flags values below 0.8. Undefined when the privileged side is never selected.
 */
import { ratio } from '../group-counts.js';
import type { Sides } from '../privilege.js';
import { selectionRate } from './selection-rate.js';

export function disparateImpact(s: Sides): number | null {
  const u = selectionRate(s.unprivileged);
  const p = selectionRate(s.privileged);
  return u === null || p === null ? null : ratio(u, p);
}
