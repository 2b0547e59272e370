/**
 * Worker thread that signs tickets and run records (ML-DSA takes ~10 ms per signature in pure JS), so the
 * gateway's event loop keeps delivering events and answering requests while they are signed. Messages:
 * `{ id, keyId, key?, kind, fields }` in (the key, one per head, travels once: with the first object it signs),
 * `{ id, compact }` or `{ id, error }` out.
 */
import { parentPort } from 'node:worker_threads';
import {
  signRunRecord,
  signTicket,
  type RunRecordFields,
  type TicketFields,
  type TicketSigner,
} from '../../crypto/index.js';

const signers = new Map<string, TicketSigner>();

export type SignRequest = { id: number; keyId: string; key?: TicketSigner } & (
  { kind: 'ticket'; fields: TicketFields } | { kind: 'run'; fields: RunRecordFields }
);

parentPort?.on('message', (message: SignRequest) => {
  try {
    if (message.key) signers.set(message.keyId, message.key);
    const signer = signers.get(message.keyId);
    if (!signer) throw new RangeError(`no signing key ${message.keyId} in the signing thread`);
    const compact =
      message.kind === 'ticket'
        ? signTicket(message.fields, signer).compact
        : signRunRecord(message.fields, signer).compact;
    parentPort?.postMessage({ id: message.id, compact });
  } catch (error) {
    parentPort?.postMessage({ id: message.id, error: (error as Error).message });
  }
});
