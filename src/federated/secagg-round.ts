/**
 * One secure-aggregation round with every client in this process: the clients and the server exchange only the
 * protocol's messages, and a client that drops out after a step simply sends nothing more. The coordinator uses it
 * for clients that run on this gateway's heads; clients elsewhere exchange the same messages over a transport.
 */
import type { FixedPointCodec } from './fixed-point.js';
import { SecAggClient } from './secagg-client.js';
import type { RandomSource } from './seeded-random.js';
import { SecAggProtocolError, type SecAggFailure } from './secagg-error.js';
import type { MaskedInput, ShareKeys, UnmaskResponse, Withdraw } from './secagg-messages.js';
import { SecAggServer, type AggregateResult } from './secagg-server.js';

export interface RoundClient {
  readonly id: string;
  readonly update: ArrayLike<number>;
  readonly weight: number;
  /** The step after which this client stops answering (simulated dropout); absent: it stays to the end. */
  readonly dropAfter?: 'advertise_keys' | 'share_keys' | 'masked_input';
}

export interface SecureRoundOptions {
  readonly round: string;
  readonly threshold: number;
  readonly codec: FixedPointCodec;
  readonly clients: readonly RoundClient[];
  readonly random?: RandomSource;
}

const STEPS = ['advertise_keys', 'share_keys', 'masked_input', 'unmask'] as const;

/** Whether the client takes part in `step`: it does every step up to and including its `dropAfter`. */
function answers(client: RoundClient, step: (typeof STEPS)[number]): boolean {
  return client.dropAfter === undefined || STEPS.indexOf(client.dropAfter) >= STEPS.indexOf(step);
}

export async function runSecureRound(options: SecureRoundOptions): Promise<AggregateResult | SecAggFailure> {
  const dimension = options.clients[0]?.update.length ?? 0;
  const server = new SecAggServer({
    round: options.round,
    threshold: options.threshold,
    vectorLength: dimension + 1,
  });
  const agents = options.clients.map((c) => ({ spec: c, agent: new SecAggClient(c.id, options.random) }));
  try {
    const roster = server.receiveKeys(agents.map((a) => a.agent.advertise()));
    if (!roster.ok) return roster;
    const inRoster = new Set(roster.value.clients.map((c) => c.client));
    const u1 = agents.filter((a) => inRoster.has(a.spec.id) && answers(a.spec, 'share_keys'));
    const shares: ShareKeys[] = [];
    for (const a of u1) shares.push(await a.agent.shareKeys(roster.value));
    const relayed = server.receiveShares(shares);
    if (!relayed.ok) return relayed;
    const masked: (MaskedInput | Withdraw)[] = [];
    for (const s of relayed.value) {
      const a = agents.find((x) => x.spec.id === s.to);
      if (a === undefined || !answers(a.spec, 'masked_input')) continue;
      masked.push(a.agent.maskInput(s, options.codec, a.spec.update, a.spec.weight));
    }
    const request = server.receiveMasked(masked);
    if (!request.ok) return request;
    const responses: UnmaskResponse[] = [];
    for (const id of request.value.survivors) {
      const a = agents.find((x) => x.spec.id === id);
      if (a !== undefined && answers(a.spec, 'unmask')) responses.push(a.agent.unmask(request.value));
    }
    return await server.finish(responses);
  } catch (error) {
    if (error instanceof SecAggProtocolError)
      return { ok: false, code: 'protocol_violation', step: error.step, message: error.message };
    throw error;
  }
}
