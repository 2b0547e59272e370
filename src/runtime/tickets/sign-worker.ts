/**
 * Worker thread that signs tickets (ML-DSA takes ~10 ms per signature in pure JS), so the gateway's event loop
 * keeps delivering events and answering requests while tickets are signed. Messages: `{ id, fields }` in,
 * `{ id, compact, ticket }` or `{ id, error }` out; the signer arrives once in `workerData`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { signTicket, type Ticket, type TicketSigner } from '../../crypto/index.js';

const signer = workerData as TicketSigner;

parentPort?.on('message', (message: { id: number; fields: Omit<Ticket, 'v' | 'keyId'> }) => {
  try {
    const signed = signTicket(message.fields, signer);
    parentPort?.postMessage({ id: message.id, compact: signed.compact, ticket: signed.ticket });
  } catch (error) {
    parentPort?.postMessage({ id: message.id, error: (error as Error).message });
  }
});
