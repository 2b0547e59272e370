/**
 * GET /v1/tickets/:id: a signed execution ticket (id = its audit-log index) with its RFC 9162 inclusion proof
 * against the current tree head and a signed checkpoint for that head, so a client can verify it offline.
 */
import { bytesToHex, decodeTicket, toBase64 } from '../../crypto/index.js';
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
    const row = (
      await services.db.query('SELECT run_id, block_id, key_id, compact FROM maml.tickets WHERE log_index = $1', [
        index,
      ])
    ).rows[0];
    const run = row ? (await services.store.getRun(String(row['run_id'])))?.run : undefined;
    if (!row || !run || !visible(run, principal)) throw new MamlError('not_found', `no ticket ${index}`);
    const { log } = services;
    const size = log.size;
    const compact = String(row['compact']);
    const decoded = decodeTicket(compact);
    const key = (await services.ticketKeys()).find((k) => k.keyId === row['key_id']);
    return {
      id: String(index),
      runId: run.id,
      blockId: String(row['block_id']),
      compact,
      ticket: decoded.ok ? decoded.ticket : null,
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
