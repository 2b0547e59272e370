/** True positive rate (recall): P(Ŷ = 1 | Y = 1, group); undefined for a group with no favourable label. */
import { ratio, type GroupCounts } from '../group-counts.js';

export function truePositiveRate(c: GroupCounts): number | null {
  return ratio(c.tp, c.tp + c.fn);
}
