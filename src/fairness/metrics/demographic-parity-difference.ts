/**
 * Demographic parity difference (Fairlearn `demographic_parity_difference`, method between_groups): the largest
 * minus the smallest selection rate over all groups; 0 is parity. Unlike the statistical parity difference it
 * needs no privileged side and is never negative.
 */
import { spread, type GroupTable } from '../group-counts.js';
import { selectionRate } from './selection-rate.js';

export function demographicParityDifference(table: GroupTable): number | null {
  return spread([...table.groups.values()].map(selectionRate));
}
