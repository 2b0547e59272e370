/**
 * GET /v1/tickets/:id: a signed entry of the audit log (id = its log index) — an execution ticket (`kind:
 * "ticket"`) or a run's signed record (`kind: "run_record"`) — with its RFC 9162 inclusion proof against the
 * current tree head and a signed checkpoint for that head, so a client can verify it offline.
 */
import { bytesToHex, decodeRunRecord, decodeTicket, toBase64 } from '../../crypto/index.js';
import { MamlError } from '../../shared/index.js';
import { visible } from '../run-json.js';
import type { Route } from './route.js';

export const ticketRoute: Route = {
  method: 'GET',
  url: '/v1/tickets/:id',
  summary: 'A signed execution ticket with its inclusion proof and a signed checkpoint',
  scope: 'maml:read',
  schema: {
    params: {
      type: 'object',
      required: ['id'],
      properties: { id: { type: 'string', pattern: '^(0|[1-9][0-9]{0,14})$' } },
      additionalProperties: false,
    },
  },
  handler: async ({ services, principal }, request) => {
    const index = Number((request.params as { id: string }).id);
    const ticket = await services.tickets.byLogIndex(index);
    const record = ticket ? undefined : await services.tickets.runRecordByLogIndex(index);
    const entry = ticket ?? record;
    const run = entry ? (await services.store.getRun(entry.runId))?.run : undefined;
    if (!entry || !run || run.id !== entry.runId || !visible(run, principal))
      throw new MamlError('not_found', `no ticket ${index}`);
    const { log } = services;
    const size = log.size;
    const { compact } = entry;
    const key = (await services.ticketKeys()).find((k) => k.keyId === entry.keyId);
    const decodedTicket = ticket ? decodeTicket(compact) : undefined;
    const decodedRecord = ticket ? undefined : decodeRunRecord(compact);
    return {
      id: String(index),
      kind: ticket ? 'ticket' : 'run_record',
      runId: run.id,
      blockId: ticket?.blockId ?? null,
      compact,
      ticket: decodedTicket?.ok ? decodedTicket.ticket : null,
      ...(decodedRecord ? { record: decodedRecord.ok ? decodedRecord.record : null } : {}),
      key: key ?? null,
      logIndex: index,
      leafHash: bytesToHex(log.leafHash(index) ?? new Uint8Array()),
      treeSize: size,
      rootHash: toBase64(log.root(size)),
      inclusionProof: log.inclusionProof(index, size).map(toBase64),
      checkpoint: log.checkpoint(services.noteSigners, size),
      checkpointKey: services.checkpointKey,
      ed25519CheckpointKey: services.ed25519CheckpointKey,
    };
  },
};
