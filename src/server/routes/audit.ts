// GET /v1/audit/checkpoint: the audit log's signed tree head (C2SP tlog-checkpoint) and the keys to check it.
import { toBase64 } from '../../crypto/index.js';
import type { Route } from './route.js';

export const checkpointRoute: Route = {
  method: 'GET',
  url: '/v1/audit/checkpoint',
  summary: 'Signed checkpoint of the audit log, with the checkpoint and ticket verification keys',
  scope: 'maml:read',
  handler: async ({ services }) => {
    const { log } = services;
    const size = log.size;
    return {
      origin: log.origin,
      size,
      rootHash: toBase64(log.root(size)),
      checkpoint: log.checkpoint(services.noteSigners, size),
      checkpointKey: services.checkpointKey,
      ed25519CheckpointKey: services.ed25519CheckpointKey,
      ticketKeys: await services.ticketKeys(),
    };
  },
};
