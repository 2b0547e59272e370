/**
 * Demographic parity ratio (Fairlearn `demographic_parity_ratio`): the smallest over the largest selection rate
 * over all groups; 1 is parity. Undefined when no group is ever selected.
 */
import { extremes, ratio, type GroupTable } from '../group-counts.js';
import { selectionRate } from './selection-rate.js';

export function demographicParityRatio(table: GroupTable): number | null {
  const range = extremes([...table.groups.values()].map(selectionRate));
  return range === null ? null : ratio(range.min, range.max);
}
