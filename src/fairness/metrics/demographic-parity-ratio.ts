/**
 * Demographic parity ratio (Fairlearn `demographic_parity_ratio`): the smallest over the largest selection rate
 * over all groups; 1 is parity. Undefined when no group is ever selected.
 */
import { ratio, type GroupTable } from '../group-counts.js';
import { selectionRate } from './selection-rate.js';

export function demographicParityRatio(table: GroupTable): number | null {
  const rates = [...table.groups.values()].map(selectionRate);
  if (rates.length === 0 || rates.some((r) => r === null)) return null;
  const xs = rates as number[];
  return ratio(Math.min(...xs), Math.max(...xs));
}
