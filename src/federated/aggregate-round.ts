/**
 * One round's aggregation, from the client reports to the update the global model moves by. Each report is first
 * checked as the client's own agent would check it before sending anything (a vector of the model's length, finite
 * numbers, a sample count); a bad one is excluded by name. With privacy, updates are clipped to `clip` and
 * summed unweighted, then Gaussian noise N(0, (z clip)^2) is added to the sum, which is divided by the number of
 * clients summed: noise N(0, (z clip / m)^2) on the average (DP-FedAvg). Without privacy, updates are weighted by
 * their sample counts (capped at `maxWeight`). The sum goes through secure aggregation or, for `fedavg`, is added
 * in the clear.
 */
import { clipToNorm } from './dp-clip.js';
import { decodeSum, fixedPointCodec } from './fixed-point.js';
import type { FederatedConfig } from './federated-config.js';
import type { SecAggFailure } from './secagg-error.js';
import { runSecureRound, type RoundClient } from './secagg-round.js';
import type { Exclusion } from './secagg-server.js';
import { gaussianNoise, type RandomSource } from './seeded-random.js';

export interface ClientReport {
  readonly client: string;
  /** The client block's `update` output, unchecked. */
  readonly update: unknown;
  /** The client block's `samples` output, unchecked. */
  readonly samples: unknown;
}

export interface RoundAggregate {
  readonly ok: true;
  /** The averaged (and, with privacy, noised) update. */
  readonly delta: Float64Array;
  readonly included: readonly string[];
  readonly excluded: readonly Exclusion[];
  /** Clients dropped inside the secure-aggregation protocol. */
  readonly dropped: readonly string[];
  readonly clipped: number;
  readonly totalWeight: number;
  /** Secure aggregation's t for this round, or null for fedavg. */
  readonly threshold: number | null;
}

export type RoundFailure =
  | SecAggFailure
  | { readonly ok: false; readonly code: 'too_few_clients'; readonly step: 'collect'; readonly message: string };

export interface AggregateOptions {
  readonly config: FederatedConfig;
  readonly round: number;
  readonly roundId: string;
  /** z in force (computed from the target epsilon when the document gave none); ignored without privacy. */
  readonly noiseMultiplier: number;
  readonly random: RandomSource;
}

function check(report: ClientReport, parameters: number): Exclusion | { update: number[]; samples: number } {
  const { client, update, samples } = report;
  if (!Array.isArray(update))
    return { client, code: 'not_a_vector', message: `${client}: the update is not an array of numbers` };
  if (update.length !== parameters)
    return {
      client,
      code: 'wrong_length',
      message: `${client}: the update has ${update.length} values; the model has ${parameters}`,
    };
  const bad = update.findIndex((v) => typeof v !== 'number' || !Number.isFinite(v));
  if (bad >= 0) return { client, code: 'not_finite', message: `${client}: update value ${bad} is not a finite number` };
  if (typeof samples !== 'number' || !Number.isInteger(samples) || samples < 0)
    return { client, code: 'bad_samples', message: `${client}: \`samples\` must be a non-negative integer` };
  return { update: update as number[], samples };
}

export function defaultThreshold(m: number): number {
  return Math.min(m, Math.max(2, Math.floor((2 * m) / 3) + 1));
}

export async function aggregateRound(
  reports: readonly ClientReport[],
  options: AggregateOptions,
): Promise<RoundAggregate | RoundFailure> {
  const { config } = options;
  const dp = config.privacy;
  const excluded: Exclusion[] = [];
  const accepted: RoundClient[] = [];
  let clipped = 0;
  for (const r of reports) {
    const c = check(r, config.parameters);
    if ('code' in c) {
      excluded.push(c);
      continue;
    }
    if (dp) {
      const clippedUpdate = clipToNorm(c.update, dp.clip);
      if (clippedUpdate.clipped) clipped++;
      accepted.push({ id: r.client, update: clippedUpdate.values, weight: 1 });
    } else accepted.push({ id: r.client, update: c.update, weight: Math.min(c.samples, config.maxWeight) });
  }
  const tooFew = (have: number): RoundFailure => ({
    ok: false,
    code: 'too_few_clients',
    step: 'collect',
    message: `round ${options.round}: ${have} usable client update(s), fewer than min_clients = ${config.minClients}`,
  });
  if (accepted.length < config.minClients) return tooFew(accepted.length);

  let sum: Float64Array;
  let totalWeight: number;
  let included: string[];
  let dropped: string[] = [];
  let threshold: number | null = null;
  if (config.aggregation === 'secure_aggregation') {
    const codec = fixedPointCodec({
      range: config.range,
      clients: accepted.length,
      maxWeight: dp ? 1 : config.maxWeight,
    });
    if (typeof codec === 'string')
      return { ok: false, code: 'bad_roster', step: 'advertise_keys', message: `round ${options.round}: ${codec}` };
    threshold = Math.min(accepted.length, config.threshold ?? defaultThreshold(accepted.length));
    const result = await runSecureRound({
      round: options.roundId,
      threshold,
      codec,
      clients: accepted,
      random: options.random,
    });
    if (!result.ok) return { ...result, message: `round ${options.round}: ${result.message}` };
    const decoded = decodeSum(codec, result.sum);
    sum = decoded.values;
    totalWeight = decoded.totalWeight;
    included = [...result.included];
    dropped = [...result.dropped];
    excluded.push(...result.excluded);
  } else {
    sum = new Float64Array(config.parameters);
    totalWeight = 0;
    for (const c of accepted) {
      totalWeight += c.weight;
      for (let i = 0; i < sum.length; i++) sum[i] = (sum[i] as number) + c.weight * (c.update[i] as number);
    }
    included = accepted.map((c) => c.id);
  }
  if (included.length < config.minClients) return tooFew(included.length);
  const delta = new Float64Array(config.parameters);
  if (dp) {
    gaussianNoise(options.random, delta, options.noiseMultiplier * dp.clip);
    for (let i = 0; i < delta.length; i++) delta[i] = ((delta[i] as number) + (sum[i] as number)) / included.length;
  } else {
    const w = totalWeight > 0 ? totalWeight : 1;
    for (let i = 0; i < delta.length; i++) delta[i] = (sum[i] as number) / w;
  }
  return { ok: true, delta, included, excluded, dropped, clipped, totalWeight, threshold };
}
