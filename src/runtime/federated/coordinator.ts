/**
 * Runs a federated workflow (docs/federated.md): rounds of sampling clients, sending them the global weights,
 * collecting their updates through secure aggregation (or plain FedAvg), adding differential-privacy noise when
 * asked, evaluating, and accounting the privacy spent. The run is recorded like any other: a run row, events (one
 * `federated_round` per round with its metrics), a signed ticket per aggregated round carrying the aggregate and
 * model hashes, the run's signed record, and History lines. Kept apart from executePlan: a federated run is a loop
 * over one block, not a graph.
 */
import { randomUUID } from 'node:crypto';
import { createHash } from 'node:crypto';
import type { NewHistoryEntry } from '../../format/index.js';
import { historyText, ticketLineText } from '../../crypto/index.js';
import {
  aggregateRound,
  privacySpent,
  seededRandom,
  systemRandom,
  type ClientReport,
  type RandomSource,
} from '../../federated/index.js';
import { serializeError, type SerializedError } from '../../shared/index.js';
import { storable } from '../output-check.js';
import { signRunRecord } from '../tickets/run-record-line.js';
import { RUN_EVENT_VERSION } from '../run-events.js';
import type { BlockReport, FederatedRoundData, RunEvent, RunEventData, RunEventType } from '../run-events.js';
import type { ExecuteServices, RunReport } from '../scheduler/execute-plan.js';
import type { RunPlan } from '../scheduler/run-plan.js';
import { headTransport, type ClientTransport } from './client-transport.js';
import type { FederatedPlan } from './federated-plan.js';

export interface FederatedServices extends ExecuteServices {
  /** Where clients run (default: this gateway's head pool). */
  readonly transport?: ClientTransport;
}

/** SHA-256 (hex) of a vector as little-endian float64s. */
export function vectorHash(values: Float64Array): string {
  return createHash('sha256')
    .update(new Uint8Array(values.buffer, values.byteOffset, values.byteLength))
    .digest('hex');
}

function uniform(random: RandomSource): number {
  const b = random(4);
  return ((b[0] as number) | ((b[1] as number) << 8) | ((b[2] as number) << 16) | ((b[3] as number) << 24)) >>> 0;
}

/** Poisson sampling: each client independently with probability q (what the accountant assumes). */
function sampleClients(n: number, q: number, random: RandomSource): number[] {
  if (q >= 1) return Array.from({ length: n }, (_, i) => i);
  const chosen: number[] = [];
  for (let i = 0; i < n; i++) if (uniform(random) / 2 ** 32 < q) chosen.push(i);
  return chosen;
}

/** Adds clients at random until `min` are chosen (only without privacy: it would change the sampling law). */
function topUp(chosen: number[], n: number, min: number, random: RandomSource): number[] {
  const set = new Set(chosen);
  while (set.size < Math.min(min, n)) set.add(uniform(random) % n);
  return [...set].sort((a, b) => a - b);
}

function numberOrNull(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function mean(values: readonly (number | null)[]): number | null {
  const ok = values.filter((v): v is number => v !== null);
  return ok.length === 0 ? null : ok.reduce((a, b) => a + b, 0) / ok.length;
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}

export async function runFederated(plan: RunPlan, fed: FederatedPlan, services: FederatedServices): Promise<RunReport> {
  const { store, tickets, signal } = services;
  const { config, client, evaluate, noiseMultiplier } = fed;
  const transport = services.transport ?? headTransport(services.pool, plan);
  const runId = services.runId ?? randomUUID();
  const docId = plan.documentId ?? `run:${runId}`;
  const started = performance.now();
  const startedAt = new Date();
  const random = config.seed === null ? systemRandom : seededRandom(config.seed);
  const history: NewHistoryEntry[] = [];
  const ticketLeaves: string[] = [];
  let seq = 0;
  const emit = async <T extends RunEventType>(
    type: T,
    blockId: string | null,
    data: RunEventData[T],
  ): Promise<void> => {
    const event = { v: RUN_EVENT_VERSION, runId, seq: ++seq, at: new Date().toISOString(), type, blockId, data };
    await store.recordEvent(event as RunEvent);
    for (const s of services.subscribers ?? []) {
      try {
        s(event as RunEvent);
      } catch {
        // An observer's failure is its own; the run goes on.
      }
    }
  };

  const blocks = evaluate ? [client, evaluate] : [client];
  await store.createRun({
    id: runId,
    identity: plan.identity,
    inputs: plan.inputs,
    ...(plan.documentPath !== null ? { documentPath: plan.documentPath } : {}),
    ...(plan.documentId !== null ? { documentId: plan.documentId } : {}),
  });
  await emit('run_started', null, {
    identity: plan.identity,
    blocks: blocks.map((b) => b.id),
    langs: blocks.map((b) => b.lang),
  });
  for (const b of blocks) await emit('block_started', b.id, { head: 'federated', attempt: 1 });

  const weights = new Float64Array(config.parameters);
  const rounds: FederatedRoundData[] = [];
  const runs = new Map<string, number>(blocks.map((b) => [b.id, 0]));
  let error: SerializedError | null = null;
  let stopReason: string | null = null;
  const dp = config.privacy;
  const spentAfter = (steps: number): { epsilon: number; epsilonTight: number } | null =>
    dp ? privacySpent({ samplingRate: config.fraction, noiseMultiplier, steps, delta: dp.delta }) : null;

  // Whatever fails inside a round (a store write, a bug) ends the run as failed, recorded, never left running.
  try {
    for (let round = 1; round <= config.rounds; round++) {
      if (signal?.aborted) break;
      // A target epsilon with a given noise multiplier stops the run before a round would exceed it.
      const next = spentAfter(round);
      if (dp && dp.epsilon !== null && dp.noiseMultiplier !== null && next && next.epsilon > dp.epsilon) {
        stopReason = `stopped before round ${round}: it would spend epsilon ${next.epsilon.toFixed(4)}, above the target ${dp.epsilon}`;
        break;
      }
      const t0 = performance.now();
      let chosen = sampleClients(config.clients, config.fraction, random);
      if (!dp) chosen = topUp(chosen, config.clients, config.minClients, random);
      const base = {
        round,
        sampled: chosen.length,
        threshold: null,
        clipped: 0,
        epsilon: next?.epsilon ?? null,
        epsilonTight: next?.epsilonTight ?? null,
      };
      const modelBefore = vectorHash(weights);
      if (chosen.length < config.minClients) {
        // With privacy the round still counts in the accountant (the sampling happened), but releases nothing.
        const data: FederatedRoundData = {
          ...base,
          status: 'skipped',
          included: [],
          dropped: [],
          excluded: [],
          loss: null,
          accuracy: null,
          aggregateHash: null,
          modelHash: modelBefore,
          durationMs: performance.now() - t0,
          error: `${chosen.length} client(s) sampled, fewer than min_clients = ${config.minClients}`,
        };
        rounds.push(data);
        await emit('federated_round', client.id, data);
        continue;
      }
      const global = Array.from(weights);
      const dropped: { client: string; reason: string }[] = [];
      const results = await mapLimit(chosen, plan.concurrency, async (index) => {
        const id = `client-${index}`;
        try {
          runs.set(client.id, (runs.get(client.id) ?? 0) + 1);
          const r = await transport.run(
            client,
            { ...plan.inputs, weights: global, round, client: index, client_id: id, clients: config.clients },
            signal,
          );
          return { id, outputs: r.outputs };
        } catch (e) {
          dropped.push({ client: id, reason: historyText(serializeError(e).message, 300) });
          return undefined;
        }
      });
      const answered = results.filter(
        (r): r is { id: string; outputs: Readonly<Record<string, unknown>> } => r !== undefined,
      );
      const reports: ClientReport[] = answered.map((r) => ({
        client: r.id,
        update: r.outputs['update'],
        samples: r.outputs['samples'],
      }));
      const aggregate = await aggregateRound(reports, {
        config,
        round,
        roundId: `${runId}/${round}`,
        noiseMultiplier,
        random,
      });
      const clientLoss = mean(answered.map((r) => numberOrNull(r.outputs['loss'])));
      const clientAccuracy = mean(answered.map((r) => numberOrNull(r.outputs['accuracy'])));
      if (!aggregate.ok) {
        const data: FederatedRoundData = {
          ...base,
          status: 'aborted',
          included: [],
          dropped,
          excluded: [],
          loss: null,
          accuracy: null,
          aggregateHash: null,
          modelHash: modelBefore,
          durationMs: performance.now() - t0,
          error: aggregate.message,
        };
        rounds.push(data);
        await emit('federated_round', client.id, data);
        continue;
      }
      for (let i = 0; i < weights.length; i++)
        weights[i] = (weights[i] as number) + config.serverLearningRate * (aggregate.delta[i] as number);
      let loss = clientLoss;
      let accuracy = clientAccuracy;
      if (evaluate) {
        try {
          runs.set(evaluate.id, (runs.get(evaluate.id) ?? 0) + 1);
          const r = await transport.run(evaluate, { ...plan.inputs, weights: Array.from(weights), round }, signal);
          loss = numberOrNull(r.outputs['loss']) ?? loss;
          accuracy = numberOrNull(r.outputs['accuracy']) ?? accuracy;
        } catch (e) {
          error = {
            code: 'block_failed',
            message: `evaluation after round ${round}: ${serializeError(e).message}`,
            retryable: false,
          };
        }
      }
      const data: FederatedRoundData = {
        ...base,
        status: 'aggregated',
        included: aggregate.included,
        dropped: [
          ...dropped,
          ...aggregate.dropped.map((c) => ({ client: c, reason: 'dropped out of secure aggregation' })),
        ],
        excluded: aggregate.excluded,
        threshold: aggregate.threshold,
        clipped: aggregate.clipped,
        loss,
        accuracy,
        aggregateHash: vectorHash(aggregate.delta),
        modelHash: vectorHash(weights),
        durationMs: performance.now() - t0,
        error: null,
      };
      rounds.push(data);
      if (tickets) {
        const issued = await tickets.issue({
          docId,
          runId,
          blockId: client.id,
          execution: `round-${round}`,
          headId: 'scheduler',
          inputs: { round, clients: chosen.map((i) => `client-${i}`), modelBefore },
          outputs: storable({ ...data, durationMs: Math.round(data.durationMs) }),
          source: client.source,
          startedAt: new Date(Date.now() - (performance.now() - t0)),
          durationMs: data.durationMs,
          executor: `federated-${config.aggregation}@1`,
          lang: client.lang,
          attributes: client.attributes,
          upstream: [],
        });
        ticketLeaves.push(issued.leafHash);
        history.push({
          time: new Date(),
          action: 'TICKET',
          text: ticketLineText({ ...issued, runId, blockId: client.id }, plan.historyForm),
        });
        await emit('ticket_issued', client.id, {
          logIndex: issued.logIndex,
          keyId: issued.keyId,
          compact: issued.compact,
          leafHash: issued.leafHash,
        });
      }
      await emit('federated_round', client.id, data);
      if (error) break;
    }
  } catch (e) {
    error = { code: 'internal', message: `federated run stopped: ${serializeError(e).message}`, retryable: false };
  }

  const aggregated = rounds.filter((r) => r.status === 'aggregated');
  const cancelled = signal?.aborted === true;
  if (!error && !cancelled && aggregated.length === 0)
    error = {
      code: 'block_failed',
      message:
        `no round was aggregated: ${rounds.map((r) => `round ${r.round}: ${r.error ?? r.status}`).join('; ')}`.slice(
          0,
          2000,
        ),
      retryable: false,
    };
  if (cancelled) error = { code: 'cancelled', message: 'the run was cancelled', retryable: false };
  const status: RunReport['status'] = cancelled ? 'cancelled' : error ? 'failed' : 'succeeded';
  const last = rounds.at(-1);
  const spent = spentAfter(rounds.length);
  const outputs: Record<string, unknown> = {
    model: Array.from(weights),
    model_hash: vectorHash(weights),
    rounds_aggregated: aggregated.length,
    loss: last?.loss ?? null,
    accuracy: last?.accuracy ?? null,
    ...(dp && spent
      ? {
          privacy: {
            unit: 'client',
            epsilon: spent.epsilon,
            epsilon_tight: spent.epsilonTight,
            delta: dp.delta,
            noise_multiplier: noiseMultiplier,
            clip: dp.clip,
            sampling_rate: config.fraction,
          },
        }
      : {}),
    ...(stopReason ? { stopped: stopReason } : {}),
    rounds: rounds.map((r) => ({ ...r, durationMs: Math.round(r.durationMs) })),
  };
  const durationMs = performance.now() - started;
  const reports: BlockReport[] = blocks.map((b) => ({
    id: b.id,
    lang: b.lang,
    head: 'federated',
    status: status === 'succeeded' ? 'succeeded' : status === 'cancelled' ? 'cancelled' : 'failed',
    durationMs,
    outputs: b === client ? outputs : {},
    error: status === 'succeeded' ? null : error,
    attempts: runs.get(b.id) ?? 0,
    cached: false,
  }));
  for (const r of reports) {
    await store.recordBlock({
      runId,
      blockId: r.id,
      attemptId: `${runId}/${r.id}/1`,
      lang: r.lang,
      head: r.head,
      attempts: r.attempts,
      status: r.status as 'succeeded' | 'failed' | 'cancelled',
      cached: false,
      startedAt,
      finishedAt: new Date(),
      durationMs: r.durationMs,
      outputs: r.id === client.id ? storable(outputs) : {},
      error: r.error,
    });
    await emit(
      r.status === 'succeeded' ? 'block_succeeded' : r.status === 'cancelled' ? 'block_cancelled' : 'block_failed',
      r.id,
      {
        head: r.head,
        durationMs: r.durationMs,
        error: r.error,
        lang: r.lang,
        attempts: r.attempts,
        cached: false,
      },
    );
  }
  const text = historyText(
    `run ${runId} ${status} in ${(durationMs / 1000).toFixed(2)} s by ${plan.identity}: federated ${config.aggregation}, ` +
      `${aggregated.length}/${config.rounds} rounds aggregated, model ${vectorHash(weights).slice(0, 16)}` +
      `${spent ? `, epsilon ${spent.epsilon.toFixed(3)} at delta ${dp?.delta}` : ''}${error ? ` (${historyText(error.message, 500)})` : ''}`,
    4000,
  );
  const record = await signRunRecord(tickets, {
    docId,
    runId,
    identity: plan.identity,
    status,
    startedAt,
    durationMs,
    ticketLeaves,
    regenerated: [],
    text,
    outputs,
    historyForm: plan.historyForm,
  });
  if (record.type === 'record_issued') await emit('record_issued', null, record.data);
  else if (record.type === 'record_failed') await emit('record_failed', null, record.data);
  history.push({ time: new Date(), action: 'EXECUTE', text: record.line });
  await store.finishRun(runId, status, storable(outputs), error);
  await emit('run_finished', null, { status, error });
  return { runId, status, blocks: reports, outputs, error, durationMs, history };
}
