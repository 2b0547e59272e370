/** The API's view of a stored run: its record, blocks, tickets, and `cancelled` for runs that failed by cancel. */
import type { RunRow } from '../runtime/index.js';
import type { GatewayServices } from './services.js';
import type { Principal } from './auth/principal.js';
import { hasScope } from './auth/principal.js';

export function apiStatus(run: RunRow): string {
  const code = (run.error as { code?: unknown } | null)?.code;
  return run.status === 'failed' && code === 'cancelled' ? 'cancelled' : run.status;
}

/** A run the principal may see: its own, or any with `maml:admin`. Others are reported as not found. */
export function visible(run: RunRow, principal: Principal | undefined): boolean {
  return principal === undefined || hasScope(principal, 'maml:admin') || run.identity === principal.subject;
}

/**
 * Whether the principal may watch the run's events: answered from memory for runs live in this process (so a
 * subscription does not wait for the database), else from the stored run.
 */
export async function mayWatch(
  services: GatewayServices,
  id: string,
  principal: Principal | undefined,
): Promise<boolean> {
  const live = services.runs.liveRun(id);
  if (live) return principal === undefined || hasScope(principal, 'maml:admin') || live.identity === principal.subject;
  const found = await services.store.getRun(id);
  return found !== undefined && found.run.id === id && visible(found.run, principal);
}

export async function runJson(services: GatewayServices, id: string, principal: Principal | undefined) {
  const found = await services.store.getRun(id);
  if (!found || found.run.id !== id || !visible(found.run, principal)) return undefined;
  const { run, blocks, events } = found;
  const tickets = (await services.tickets.byRun(id)).map((t) => ({
    id: String(t.logIndex),
    logIndex: t.logIndex,
    blockId: t.blockId,
    keyId: t.keyId,
  }));
  return {
    id: run.id,
    status: apiStatus(run),
    identity: run.identity,
    documentId: run.documentId,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    inputs: run.inputs,
    outputs: run.outputs,
    error: run.error,
    blocks: blocks.map((b) => ({
      id: b.blockId,
      lang: b.lang,
      head: b.head,
      status: b.status,
      attempts: b.attempts,
      cached: b.cached,
      durationMs: b.durationMs,
      outputs: b.outputs,
      error: b.error,
    })),
    tickets,
    events: events.length,
  };
}
