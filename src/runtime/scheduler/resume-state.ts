/**
 * What a recorded run already did, for executePlan to go on from (`maml run --resume`, or a gateway taking over a
 * durable run): the blocks that succeeded (their outputs, head and ticket), which of their events were recorded,
 * and the last event's `seq`. Read after RunStore.reopenRun for a finished run; as it is for one still running.
 */
import { bytesToHex, hashLeaf, utf8ToBytes } from '../../crypto/index.js';
import type { RunStore } from '../db/index.js';
import { TicketStore } from '../tickets/ticket-store.js';
import type { IssuedTicket } from '../tickets/ticket-issuer.js';

export interface DoneBlock {
  readonly outputs: Readonly<Record<string, unknown>>;
  readonly head: string | null;
  readonly attempts: number;
  readonly durationMs: number | null;
  readonly cached: boolean;
  readonly ticket: IssuedTicket | undefined;
  /** Whether its block_succeeded / ticket_issued events were recorded before the run stopped. */
  readonly finishedEvent: boolean;
  readonly ticketEvent: boolean;
}

export interface ResumeState {
  readonly reason: 'resume' | 'takeover';
  readonly lastSeq: number;
  readonly done: ReadonlyMap<string, DoneBlock>;
  /** Whether an earlier run_finished was recorded: then that invocation wrote its History lines already. */
  readonly priorFinished: boolean;
}

export async function loadResumeState(
  store: RunStore,
  runId: string,
  reason: ResumeState['reason'],
): Promise<ResumeState | undefined> {
  const found = await store.getRun(runId);
  if (!found || found.run.id !== runId) return undefined;
  const tickets = new Map((await new TicketStore(store.db).byRun(runId)).map((t) => [t.blockId, t]));
  const finished = new Set(found.events.filter((e) => e.type === 'block_succeeded').map((e) => e.blockId));
  const ticketEvents = new Set(found.events.filter((e) => e.type === 'ticket_issued').map((e) => e.blockId));
  const done = new Map<string, DoneBlock>();
  for (const block of found.blocks) {
    if (block.status !== 'succeeded') continue;
    const t = tickets.get(block.blockId);
    done.set(block.blockId, {
      outputs: (block.outputs as Record<string, unknown> | null) ?? {},
      head: block.head,
      attempts: block.attempts,
      durationMs: block.durationMs,
      cached: block.cached,
      ticket: t && {
        logIndex: t.logIndex,
        keyId: t.keyId,
        compact: t.compact,
        leafHash: bytesToHex(hashLeaf(utf8ToBytes(t.compact))),
      },
      finishedEvent: finished.has(block.blockId),
      ticketEvent: ticketEvents.has(block.blockId),
    });
  }
  return {
    reason,
    lastSeq: found.events.reduce((max, e) => Math.max(max, e.seq), 0),
    done,
    priorFinished: found.events.some((e) => e.type === 'run_finished'),
  };
}
