/**
 * All runtime configuration, validated once at the boundary (`maml run`, `maml serve`, `maml mcp` gather it from
 * flags, `.maml.yaml` and the environment, and pass values in; nothing below reads the environment for it) and
 * compiled into RuntimeOptions, which openRuntime builds from. Unknown keys are refused, and every problem is
 * reported at once, so a typo in a caller is an error, not a silently ignored setting.
 */
import { isHistoryForm, DEFAULT_HISTORY_FORM, HISTORY_FORMS, type HistoryForm } from '../crypto/index.js';
import { MamlError } from '../shared/index.js';
import { DEFAULT_HEADS, parseHeads, type HeadClassCount } from './heads/index.js';
import { DEFAULT_RUN_LIMITS, MAX_CONCURRENCY, compileRunLimits } from './run-limits.js';
import type { RunLimits, RunLimitSettings } from './run-limits.js';
import { DEFAULT_IDENTITY } from './scheduler/permissions.js';
import { DEFAULT_SCAN_GATE, type ScanGate } from './scheduler/risk-gate.js';
import { AUDIT_LOG_ORIGIN } from './tickets/ticket-issuer.js';

/** What a caller may give; every key is optional. */
export interface RuntimeSettings {
  /** `quantum:2,ai:2`, or the parsed list. */
  readonly heads?: string | readonly HeadClassCount[];
  /** Blocks running at once within one run. */
  readonly concurrency?: number | string;
  /** The operator's caps: compiled (compileRunLimits) or as settings (`{ max_timeout: '1h' }`). */
  readonly limits?: RunLimits | RunLimitSettings;
  /** History line form: `compact` or `full`. */
  readonly history?: string;
  /** PostgreSQL URL; exclusive with `dataDir`. */
  readonly databaseUrl?: string;
  /** Embedded database directory, or `memory`; the default without a URL is memory. */
  readonly dataDir?: string;
  /** Keyring with the ticket and checkpoint keys; without it keys live only as long as the process. */
  readonly keyringDir?: string;
  readonly passphrase?: string;
  readonly unsafeNoSandbox?: boolean;
  /** Who runs documents by default (`maml run`, `maml mcp`). */
  readonly identity?: string;
  /** Origin line of the audit log's checkpoints. */
  readonly logOrigin?: string;
  /** Directory for caches that can be rebuilt (the SQL database template); the CLI gives $XDG_CACHE_HOME/maml. */
  readonly cacheDir?: string;
  /** The threat scan gate's settings (`scan:` in .maml.yaml, read by cli/scan-gate-config.ts). */
  readonly scan?: ScanGate;
}

export interface RuntimeOptions {
  readonly heads: readonly HeadClassCount[];
  readonly concurrency: number;
  readonly limits: RunLimits;
  readonly historyForm: HistoryForm;
  readonly database: { readonly url: string } | { readonly dataDir: string };
  readonly keyringDir: string | null;
  readonly passphrase: string | null;
  readonly unsafeNoSandbox: boolean;
  readonly identity: string;
  readonly logOrigin: string;
  /** null: the executors' own default (~/.cache/maml). */
  readonly cacheDir: string | null;
  readonly scan: ScanGate;
}

const KEYS: readonly (keyof RuntimeSettings)[] = [
  'heads',
  'concurrency',
  'limits',
  'history',
  'databaseUrl',
  'dataDir',
  'keyringDir',
  'passphrase',
  'unsafeNoSandbox',
  'identity',
  'logOrigin',
  'cacheDir',
  'scan',
];

const COMPILED_LIMIT_KEYS = Object.keys(DEFAULT_RUN_LIMITS) as (keyof RunLimits)[];

function isCompiledLimits(value: object): value is RunLimits {
  return COMPILED_LIMIT_KEYS.every((k) => typeof (value as Record<string, unknown>)[k] === 'number');
}

/**
 * Throws one `usage` error naming every problem of `raw`; `nameOf` says how the caller's user knows a setting
 * (`--concurrency`, `heads in .maml.yaml`), the key itself by default.
 */
export function compileRuntimeOptions(
  raw: RuntimeSettings,
  nameOf: (key: keyof RuntimeSettings) => string = (key) => key,
): RuntimeOptions {
  const problems: string[] = [];
  const given = raw as Readonly<Record<string, unknown>>;
  for (const key of Object.keys(given))
    if (!(KEYS as readonly string[]).includes(key)) problems.push(`unknown runtime setting \`${key}\``);
  const text = (key: keyof RuntimeSettings): string | undefined => {
    const value = given[key];
    if (value === undefined) return undefined;
    if (typeof value === 'string' && value !== '') return value;
    problems.push(`${nameOf(key)} must be a non-empty string`);
    return undefined;
  };
  const attempt = <T>(fn: () => T): T | undefined => {
    try {
      return fn();
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
      return undefined;
    }
  };

  let heads: readonly HeadClassCount[] = DEFAULT_HEADS;
  if (typeof raw.heads === 'string') heads = attempt(() => parseHeads(raw.heads as string)) ?? DEFAULT_HEADS;
  else if (Array.isArray(raw.heads)) heads = raw.heads;
  else if (raw.heads !== undefined) problems.push(`${nameOf('heads')} must be a spec such as quantum:2,ai:2`);

  const concurrency = raw.concurrency === undefined ? 4 : Number(raw.concurrency);
  if (!Number.isSafeInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY)
    problems.push(
      `${nameOf('concurrency')} must be a whole number from 1 to ${MAX_CONCURRENCY} (got \`${String(raw.concurrency)}\`)`,
    );

  let limits: RunLimits = DEFAULT_RUN_LIMITS;
  if (raw.limits !== undefined) {
    if (typeof raw.limits !== 'object' || raw.limits === null) problems.push(`${nameOf('limits')} must be a mapping`);
    else if (isCompiledLimits(raw.limits)) limits = { ...raw.limits };
    else limits = attempt(() => compileRunLimits(raw.limits as RunLimitSettings)) ?? DEFAULT_RUN_LIMITS;
  }

  const history = raw.history ?? DEFAULT_HISTORY_FORM;
  if (!isHistoryForm(history))
    problems.push(`${nameOf('history')} must be ${HISTORY_FORMS.join(' or ')} (got \`${history}\`)`);

  const url = text('databaseUrl');
  const dataDir = text('dataDir');
  if (url !== undefined && dataDir !== undefined)
    problems.push('give databaseUrl (PostgreSQL) or dataDir (the embedded database), not both');

  const keyringDir = text('keyringDir');
  const passphrase = raw.passphrase;
  if (passphrase !== undefined && typeof passphrase !== 'string')
    problems.push(`${nameOf('passphrase')} must be a string`);
  if (raw.unsafeNoSandbox !== undefined && typeof raw.unsafeNoSandbox !== 'boolean')
    problems.push(`${nameOf('unsafeNoSandbox')} must be true or false`);
  const identity = text('identity') ?? DEFAULT_IDENTITY;
  const logOrigin = text('logOrigin') ?? AUDIT_LOG_ORIGIN;
  const cacheDir = text('cacheDir') ?? null;

  const scan = raw.scan ?? DEFAULT_SCAN_GATE;
  if (!(scan.threshold >= 0 && scan.threshold <= 100))
    problems.push(`${nameOf('scan')}: the threshold must be from 0 to 100 (got ${String(scan.threshold)})`);
  const p = scan.classifier === false ? undefined : scan.classifier.threshold;
  if (p !== undefined && !(p >= 0 && p <= 1))
    problems.push(`${nameOf('scan')}: the classifier threshold must be from 0 to 1 (got ${String(p)})`);

  if (problems.length > 0) throw new MamlError('usage', problems.join('; '));
  return {
    heads: heads.map((h) => ({ ...h })),
    concurrency,
    limits,
    historyForm: history as HistoryForm,
    database: url !== undefined ? { url } : { dataDir: dataDir ?? 'memory' },
    keyringDir: keyringDir ?? null,
    passphrase: passphrase ?? null,
    unsafeNoSandbox: raw.unsafeNoSandbox ?? false,
    identity,
    logOrigin,
    cacheDir,
    scan,
  };
}
