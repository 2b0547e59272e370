/** False positive rate: P(Ŷ = 1 | Y = 0, group); undefined for a group with no unfavourable label. */
import { ratio, type GroupCounts } from '../group-counts.js';

export function falsePositiveRate(c: GroupCounts): number | null {
  return ratio(c.fp, c.fp + c.tn);
}
