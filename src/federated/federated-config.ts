/**
 * The `federated:` front matter, compiled once into a FederatedConfig, with every problem as an issue that names
 * its front-matter path. Seed-style keys (`nodes: 10`, `privacy: differential_privacy`, `epsilon: 1.0` beside
 * it) are accepted and mapped, with a warning where the mapping has to assume something the document did not say.
 * Unknown keys are errors, so a misspelt option never silently falls back to a default.
 */

export interface PrivacyConfig {
  readonly mechanism: 'gaussian';
  /** L2 norm every client update is clipped to. */
  readonly clip: number;
  /** z: the noise standard deviation over the clip; null until computed from `epsilon`. */
  readonly noiseMultiplier: number | null;
  /** Target epsilon: with a noise multiplier, the run stops before exceeding it; alone, z is computed from it. */
  readonly epsilon: number | null;
  readonly delta: number;
}

export interface FederatedConfig {
  readonly rounds: number;
  readonly clients: number;
  /** Probability that a client is sampled in a round (Poisson sampling, as the accountant assumes). */
  readonly fraction: number;
  /** A round with fewer clients than this (sampled, or left after dropouts) is not aggregated. */
  readonly minClients: number;
  readonly aggregation: 'fedavg' | 'secure_aggregation';
  /** Secure aggregation's t; null: chosen per round as floor(2m/3) + 1 of the m sampled clients. */
  readonly threshold: number | null;
  /** Largest |coordinate| of an update under secure aggregation without privacy (with privacy: the clip). */
  readonly range: number;
  /** Largest sample count a client's update is weighted by (larger counts are capped). */
  readonly maxWeight: number;
  /** Model size: the global weights start as this many zeros. */
  readonly parameters: number;
  /** Server learning rate: the global weights move by this times the aggregated update. */
  readonly serverLearningRate: number;
  readonly clientBlock: string | null;
  readonly evaluateBlock: string | null;
  /** Seed of the client sampling and the noise; null: the platform CSPRNG. */
  readonly seed: string | null;
  readonly privacy: PrivacyConfig | null;
}

export interface ConfigIssue {
  /** JSON pointer into the front matter, such as `/federated/privacy/clip`. */
  readonly path: string;
  readonly severity: 'error' | 'warning';
  readonly code: string;
  readonly message: string;
}

export type ConfigResult = { readonly config: FederatedConfig | undefined; readonly issues: readonly ConfigIssue[] };

const KEYS = [
  'rounds',
  'clients',
  'nodes',
  'fraction',
  'min_clients',
  'aggregation',
  'threshold',
  'range',
  'max_weight',
  'parameters',
  'server_learning_rate',
  'client_block',
  'evaluate_block',
  'seed',
  'privacy',
  'epsilon',
  'delta',
] as const;
const PRIVACY_KEYS = ['mechanism', 'clip', 'noise_multiplier', 'epsilon', 'delta'] as const;
/** Shamir shares over GF(2^8) cap a secure-aggregation round at 255 clients (shamir.ts MAX_SHARES). */
const MAX_SHARES = 255;
const MAX_ROUNDS = 100000;
const MAX_CLIENTS = 100000;
const MAX_PARAMETERS = 100_000_000;
const DEFAULT_DELTA = 1e-5;
const DEFAULT_CLIP = 1;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function compileFederatedConfig(raw: unknown): ConfigResult {
  const issues: ConfigIssue[] = [];
  const err = (path: string, code: string, message: string): void =>
    void issues.push({ path: `/federated${path}`, severity: 'error', code, message });
  const warn = (path: string, code: string, message: string): void =>
    void issues.push({ path: `/federated${path}`, severity: 'warning', code, message });
  if (!isRecord(raw)) {
    err('', 'federated_not_object', '`federated:` must be a mapping of options such as `rounds:` and `clients:`');
    return { config: undefined, issues };
  }
  for (const key of Object.keys(raw))
    if (!(KEYS as readonly string[]).includes(key))
      err(`/${key}`, 'federated_unknown_key', `unknown federated option \`${key}\`; known: ${KEYS.join(', ')}`);

  const int = (key: string, min: number, max: number, fallback: number | undefined): number | undefined => {
    const v = raw[key];
    if (v === undefined) return fallback;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      err(`/${key}`, 'federated_bad_value', `\`${key}\` must be an integer from ${min} to ${max}`);
      return undefined;
    }
    return v;
  };
  const num = (
    obj: Record<string, unknown>,
    prefix: string,
    key: string,
    ok: (n: number) => boolean,
    range: string,
  ): number | undefined => {
    const v = obj[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v)) {
      err(`${prefix}/${key}`, 'federated_bad_value', `\`${key}\` must be a number ${range}`);
      return undefined;
    }
    return v;
  };
  const str = (key: string): string | null => {
    const v = raw[key];
    if (v === undefined) return null;
    if (typeof v !== 'string' || v === '') {
      err(`/${key}`, 'federated_bad_value', `\`${key}\` must be a non-empty string`);
      return null;
    }
    return v;
  };

  if (raw['clients'] !== undefined && raw['nodes'] !== undefined)
    err('/nodes', 'federated_conflict', 'give `clients` or its seed-style name `nodes`, not both');
  const clients =
    int('clients', 2, MAX_CLIENTS, undefined) ??
    (raw['nodes'] === undefined ? undefined : int('nodes', 2, MAX_CLIENTS, undefined));
  if (clients === undefined && raw['clients'] === undefined && raw['nodes'] === undefined)
    err(
      '',
      'federated_missing_clients',
      '`federated:` needs `clients:` (how many clients take part), e.g. `clients: 10`',
    );
  const rounds = int('rounds', 1, MAX_ROUNDS, undefined);
  if (raw['rounds'] === undefined)
    warn('/rounds', 'federated_default_rounds', '`rounds` not given: 10 rounds are run; write `rounds: N` to choose');
  const fraction = num(raw, '', 'fraction', (n) => n > 0 && n <= 1, 'in (0, 1]') ?? 1;
  const parameters = int('parameters', 1, MAX_PARAMETERS, undefined);
  if (raw['parameters'] === undefined)
    err('', 'federated_missing_parameters', '`federated:` needs `parameters:`, the number of model weights');
  let aggregation: FederatedConfig['aggregation'] = 'secure_aggregation';
  const agg = raw['aggregation'];
  if (agg === 'fedavg' || agg === 'secure_aggregation') aggregation = agg;
  else if (agg !== undefined)
    err('/aggregation', 'federated_bad_value', '`aggregation` must be `fedavg` or `secure_aggregation`');
  const threshold = int('threshold', 2, MAX_SHARES, undefined) ?? null;
  const range = num(raw, '', 'range', (n) => n > 0 && n <= 1e6, 'in (0, 1e6]') ?? 10;
  const maxWeight = int('max_weight', 1, 1_000_000, 10000) ?? 10000;
  const serverLearningRate = num(raw, '', 'server_learning_rate', (n) => n > 0 && n <= 100, 'in (0, 100]') ?? 1;

  const privacy = compilePrivacy(raw, err, warn, num);
  const minDefault = Math.max(2, Math.min(clients ?? 2, threshold ?? 2));
  const minClients = int('min_clients', 2, MAX_CLIENTS, minDefault) ?? minDefault;
  if (clients !== undefined && minClients > clients)
    err('/min_clients', 'federated_bad_value', `\`min_clients\` (${minClients}) exceeds \`clients\` (${clients})`);
  if (aggregation === 'secure_aggregation' && clients !== undefined && clients * fraction > MAX_SHARES)
    warn('/clients', 'federated_large_round', `secure aggregation takes at most ${MAX_SHARES} clients per round`);

  if (issues.some((i) => i.severity === 'error') || clients === undefined || parameters === undefined)
    return { config: undefined, issues };
  return {
    config: {
      rounds: rounds ?? 10,
      clients,
      fraction,
      minClients,
      aggregation,
      threshold,
      range: privacy ? privacy.clip : range,
      maxWeight,
      parameters,
      serverLearningRate,
      clientBlock: str('client_block'),
      evaluateBlock: str('evaluate_block'),
      seed: str('seed'),
      privacy,
    },
    issues,
  };
}

type Report = (path: string, code: string, message: string) => void;
type NumReader = (
  obj: Record<string, unknown>,
  prefix: string,
  key: string,
  ok: (n: number) => boolean,
  range: string,
) => number | undefined;

function compilePrivacy(raw: Record<string, unknown>, err: Report, warn: Report, num: NumReader): PrivacyConfig | null {
  const p = raw['privacy'];
  const topEpsilon = num(raw, '', 'epsilon', (n) => n > 0, 'above 0');
  const topDelta = num(raw, '', 'delta', (n) => n > 0 && n < 1, 'in (0, 1)');
  if (p === undefined || p === 'none') {
    if (raw['epsilon'] !== undefined || raw['delta'] !== undefined)
      err(
        '/epsilon',
        'federated_conflict',
        '`epsilon`/`delta` need `privacy:`; add `privacy: {mechanism: gaussian, …}`',
      );
    return null;
  }
  if (p === 'differential_privacy') {
    // The seeds' shape: `privacy: differential_privacy` with `epsilon:` beside it. Say what is assumed.
    warn(
      '/privacy',
      'federated_mapped',
      `\`privacy: ${p}\` read as the Gaussian mechanism with client updates clipped to L2 norm ${DEFAULT_CLIP}` +
        `${topDelta === undefined ? ` and delta ${DEFAULT_DELTA}` : ''}; write \`privacy: {mechanism: gaussian, clip, epsilon, delta}\` to choose`,
    );
    if (topEpsilon === undefined && raw['epsilon'] === undefined)
      err(
        '/privacy',
        'federated_missing_budget',
        '`privacy` needs `epsilon:` (the target budget) or a noise multiplier',
      );
    if (raw['epsilon'] !== undefined)
      warn('/epsilon', 'federated_mapped', '`epsilon` read as `privacy.epsilon`, the target budget for the whole run');
    return {
      mechanism: 'gaussian',
      clip: DEFAULT_CLIP,
      noiseMultiplier: null,
      epsilon: topEpsilon ?? null,
      delta: topDelta ?? DEFAULT_DELTA,
    };
  }
  if (!isRecord(p)) {
    err('/privacy', 'federated_bad_value', '`privacy` must be a mapping `{mechanism: gaussian, clip, epsilon, delta}`');
    return null;
  }
  for (const key of Object.keys(p))
    if (!(PRIVACY_KEYS as readonly string[]).includes(key))
      err(
        `/privacy/${key}`,
        'federated_unknown_key',
        `unknown privacy option \`${key}\`; known: ${PRIVACY_KEYS.join(', ')}`,
      );
  if (p['mechanism'] !== undefined && p['mechanism'] !== 'gaussian')
    err('/privacy/mechanism', 'federated_bad_value', 'the only mechanism is `gaussian`');
  const clip = num(p, '/privacy', 'clip', (n) => n > 0 && n <= 1e6, 'in (0, 1e6]');
  if (p['clip'] === undefined) err('/privacy', 'federated_missing_clip', '`privacy` needs `clip:`, the L2 norm bound');
  const z = num(p, '/privacy', 'noise_multiplier', (n) => n > 0 && n <= 1e6, 'in (0, 1e6]');
  const epsilon = num(p, '/privacy', 'epsilon', (n) => n > 0, 'above 0') ?? topEpsilon;
  const delta = num(p, '/privacy', 'delta', (n) => n > 0 && n < 1, 'in (0, 1)') ?? topDelta;
  if (p['delta'] === undefined && topDelta === undefined)
    warn(
      '/privacy',
      'federated_default_delta',
      `\`delta\` not given: ${DEFAULT_DELTA} is used; it should be below 1/clients`,
    );
  if (p['noise_multiplier'] === undefined && p['epsilon'] === undefined && raw['epsilon'] === undefined)
    err('/privacy', 'federated_missing_budget', '`privacy` needs `noise_multiplier:` or `epsilon:` (or both)');
  return {
    mechanism: 'gaussian',
    clip: clip ?? DEFAULT_CLIP,
    noiseMultiplier: z ?? null,
    epsilon: epsilon ?? null,
    delta: delta ?? DEFAULT_DELTA,
  };
}
