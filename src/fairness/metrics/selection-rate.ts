/** Selection rate: the weighted share of a group's rows with a favourable outcome, P(Ŷ = 1 | group). */
import { ratio, type GroupCounts } from '../group-counts.js';

export function selectionRate(c: GroupCounts): number | null {
  return ratio(c.selected, c.weight);
}
