/**
 * Builds `LogEvidence` for History verification from an open transparency log (at its current or a checkpointed
 * size): every logged ticket and run record, by document, and each entry's text by index for compact-form lines.
 */
import { utf8Decode } from './bytes.js';
import type { TransparencyLog } from './transparency-log.js';
import { loggedRecordDocId, loggedTicketDocId, type LogEvidence } from './verify-history.js';

type Logged = { index: number; compact: string };

export async function logEvidence(log: TransparencyLog, size = log.size): Promise<LogEvidence> {
  const tickets = new Map<string, Logged[]>();
  const records = new Map<string, Logged[]>();
  const entries = new Map<number, string>();
  const add = (map: Map<string, Logged[]>, docId: string, item: Logged): void => {
    const list = map.get(docId) ?? [];
    list.push(item);
    map.set(docId, list);
  };
  for (let index = 0; index < size; index++) {
    const row = await log.store.get(index);
    const compact = row ? utf8Decode(row.entry) : undefined;
    if (compact === undefined) continue;
    entries.set(index, compact);
    const ticketDoc = loggedTicketDocId(compact);
    const recordDoc = ticketDoc === undefined ? loggedRecordDocId(compact) : undefined;
    if (ticketDoc !== undefined) add(tickets, ticketDoc, { index, compact });
    else if (recordDoc !== undefined) add(records, recordDoc, { index, compact });
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
    ticketsFor: (docId) => tickets.get(docId) ?? [],
    recordsFor: (docId) => records.get(docId) ?? [],
    entry: (index) => entries.get(index),
  };
}
