/** Builds `LogEvidence` for ticket verification from an open transparency log (at its current or a checkpointed size). */
import { utf8Decode } from './bytes.js';
import type { TransparencyLog } from './transparency-log.js';
import { loggedTicketDocId, type LogEvidence } from './verify-history.js';

export async function logEvidence(log: TransparencyLog, size = log.size): Promise<LogEvidence> {
  const byDoc = new Map<string, { index: number; compact: string }[]>();
  for (let index = 0; index < size; index++) {
    const row = await log.store.get(index);
    const compact = row ? utf8Decode(row.entry) : undefined;
    const docId = compact === undefined ? undefined : loggedTicketDocId(compact);
    if (compact === undefined || docId === undefined) continue;
    const list = byDoc.get(docId) ?? [];
    list.push({ index, compact });
    byDoc.set(docId, list);
  }
  const root = log.root(size);
  return {
    size,
    root,
    indexOf: (leafHash) => {
      const i = log.indexOf(leafHash);
      return i !== undefined && i < size ? i : undefined;
    },
    inclusionProof: (index) => log.inclusionProof(index, size),
    ticketsFor: (docId) => byDoc.get(docId) ?? [],
  };
}
