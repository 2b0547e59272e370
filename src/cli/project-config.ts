/**
 * The project config file `.maml.yaml` (searched from the working directory upwards). Two shapes are read:
 *
 * - the project's own flat keys: `heads` (`quantum:2,ai:2` or a class → count map), `identity` (the local
 *   identity, default agent://local), `history` (`compact` or `full`, how `maml run` writes History lines) and
 *   `limits` (the operator caps, a mapping checked where it is compiled: cli/limit-options.ts);
 * - the shape of the MAML guides: a top-level `maml:` mapping (and, as in some guides, the same sections at the
 *   top level) with `resources.memory_limit` (the default memory limit of a block), `resources.concurrent_tasks`
 *   (blocks running at once), `encryption.type` (the default mode of `maml encrypt`, mapped like the front
 *   matter's `encryption:`), `database.engine` / `database.url` (PostgreSQL or the embedded database) and the
 *   flat keys above.
 *
 * Everything else (`workflow`, `federated`, `blockchain`, `llm`, …) has no meaning here: it is ignored with one
 * warning naming the file and the keys, and an unknown key gets the nearest known key as a suggestion. The file is
 * never refused for what it contains beyond that; only invalid YAML, or a bad value of `heads`, `identity`,
 * `history` or `limits` (which would otherwise change who runs what, or what a document may ask for), is a usage
 * error.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { isHistoryForm, type HistoryForm } from '../crypto/index.js';
import { MamlError } from '../shared/errors.js';

export interface ProjectConfig {
  readonly path?: string;
  readonly heads?: string;
  readonly identity?: string;
  readonly history?: HistoryForm;
  /** `limits:` as written (keys and values are checked where they are compiled, cli/limit-options.ts). */
  readonly limits?: Readonly<Record<string, unknown>>;
  /** `scan:` as written (checked where it is compiled, cli/scan-gate-config.ts). */
  readonly scan?: Readonly<Record<string, unknown>>;
  /** `resources.concurrent_tasks`. */
  readonly concurrency?: number;
  /** `resources.memory_limit`, in bytes. */
  readonly memoryLimitBytes?: number;
  /** `encryption.type` (or `encryption` as text), for `resolveEncryptionMode`. */
  readonly encryption?: string;
  /** `database.url` when `database.engine` is PostgreSQL (or unset). */
  readonly databaseUrl?: string;
  /** What is ignored or could not be used, one line each; `reportConfigWarnings` prints them once. */
  readonly warnings: readonly string[];
}

/** Keys of the guides' shape that mean nothing to MAML Gateway: ignored with a warning, never an error. */
const IGNORED = new Set(['workflow', 'federated', 'blockchain', 'llm', 'prometheus', 'quantum', 'ai', 'logging']);
const FLAT = ['heads', 'identity', 'history', 'limits', 'scan'] as const;
const SECTIONS = ['resources', 'encryption', 'database'] as const;
const TOP_KEYS: readonly string[] = ['maml', ...FLAT, ...SECTIONS];
const MAML_KEYS: readonly string[] = [...FLAT, ...SECTIONS];
const SECTION_KEYS: Readonly<Record<(typeof SECTIONS)[number], readonly string[]>> = {
  resources: ['memory_limit', 'concurrent_tasks'],
  encryption: ['type', 'signature'],
  database: ['engine', 'url', 'type'],
};
/** The size units of `memory_limit`; K, M and G are binary, as in Docker (`1024MB` is 1 GiB). */
const UNITS: Readonly<Record<string, number>> = { b: 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 };
const MIN_MEMORY = 16 * 2 ** 20;

export function loadProjectConfig(cwd: string, env: NodeJS.ProcessEnv = process.env): ProjectConfig {
  let dir = cwd;
  for (;;) {
    const path = join(dir, '.maml.yaml');
    if (existsSync(path)) return readConfig(path, env);
    const parent = dirname(dir);
    if (parent === dir) return { warnings: [] };
    dir = parent;
  }
}

const printed = new Set<string>();

/** Prints a config file's warnings on standard error, once per file and process however often it is loaded. */
export function reportConfigWarnings(config: ProjectConfig, error: (text: string) => void): void {
  if (config.path === undefined || printed.has(config.path)) return;
  printed.add(config.path);
  for (const w of config.warnings) error(`warning: ${config.path}: ${w}`);
}

/** Levenshtein distance, for "did you mean" (keys are short). */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(
        (prev[j] ?? 0) + 1,
        (row[j - 1] ?? 0) + 1,
        (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    prev = row;
  }
  return prev[b.length] ?? 0;
}

function nearest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = distance(key.toLowerCase(), k);
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return bestDistance <= Math.max(1, Math.floor(key.length / 3)) ? best : undefined;
}

const isMapping = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** `1024MB`, `2 GiB`, `512m` → bytes; undefined when it is not a size with a unit. */
export function parseMemorySize(value: unknown): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([bkmgt])(?:i?b)?\s*$/i.exec(String(value));
  if (!m || typeof value === 'boolean') return undefined;
  const bytes = Math.round(Number(m[1]) * (UNITS[(m[2] as string).toLowerCase()] ?? 0));
  return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : undefined;
}

function readConfig(path: string, env: NodeJS.ProcessEnv): ProjectConfig {
  let value: unknown;
  try {
    value = parseYaml(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new MamlError('usage', `${path}: not valid YAML (${(error as Error).message})`);
  }
  if (value === null || value === undefined) return { path, warnings: [] };
  if (!isMapping(value)) throw new MamlError('usage', `${path}: expected a mapping`);

  const ignored: string[] = [];
  const warnings: string[] = [];
  const unknown = (name: string, key: string, known: readonly string[]): void => {
    if (IGNORED.has(key)) return void ignored.push(name);
    const guess = nearest(key, known);
    warnings.push(
      `unknown key \`${name}\` ignored${guess ? ` (did you mean \`${name.replace(/[^.]*$/, guess)}\`?)` : ''}`,
    );
  };
  // Top-level sections first, then `maml:` on top of them.
  const merged: Record<string, { value: unknown; name: string }> = {};
  for (const [key, v] of Object.entries(value)) {
    if (key === 'maml') continue;
    if (TOP_KEYS.includes(key)) merged[key] = { value: v, name: key };
    else unknown(key, key, TOP_KEYS);
  }
  const maml = value['maml'];
  if (isMapping(maml)) {
    for (const [key, v] of Object.entries(maml)) {
      if (MAML_KEYS.includes(key)) merged[key] = { value: v, name: `maml.${key}` };
      else unknown(`maml.${key}`, key, MAML_KEYS);
    }
  } else if (maml !== undefined && maml !== null) warnings.push('`maml` should be a mapping; ignored');

  const config: {
    -readonly [K in keyof ProjectConfig]: ProjectConfig[K];
  } = { path, warnings };
  const heads = merged['heads'];
  if (heads) {
    if (typeof heads.value === 'string') config.heads = heads.value;
    else if (isMapping(heads.value))
      config.heads = Object.entries(heads.value)
        .map(([k, v]) => `${k}:${String(v)}`)
        .join(',');
    else throw new MamlError('usage', `${path}: ${heads.name} must be like "quantum:2,ai:2"`);
  }
  const identity = merged['identity'];
  if (identity) {
    if (typeof identity.value !== 'string')
      throw new MamlError('usage', `${path}: ${identity.name} must be a string such as agent://me`);
    config.identity = identity.value;
  }
  const history = merged['history'];
  if (history) {
    if (!isHistoryForm(history.value))
      throw new MamlError(
        'usage',
        `${path}: ${history.name} must be compact or full (got ${JSON.stringify(history.value)})`,
      );
    config.history = history.value;
  }
  const limits = merged['limits'];
  if (limits && limits.value !== null) {
    if (!isMapping(limits.value))
      throw new MamlError(
        'usage',
        `${path}: ${limits.name} must be a mapping such as {max_timeout: 10m, max_memory: 1GiB}`,
      );
    config.limits = limits.value;
  }
  const scan = merged['scan'];
  if (scan && scan.value !== null) {
    if (!isMapping(scan.value))
      throw new MamlError(
        'usage',
        `${path}: ${scan.name} must be a mapping such as {threshold: 30, classifier_threshold: 0.72, baseline: docs/}`,
      );
    config.scan = scan.value;
  }

  const section = (key: (typeof SECTIONS)[number]): { fields: Record<string, unknown>; name: string } | undefined => {
    const entry = merged[key];
    if (!entry) return undefined;
    if (key === 'encryption' && typeof entry.value === 'string')
      return { fields: { type: entry.value }, name: entry.name };
    if (!isMapping(entry.value)) {
      warnings.push(`\`${entry.name}\` should be a mapping; ignored`);
      return undefined;
    }
    for (const k of Object.keys(entry.value))
      if (!SECTION_KEYS[key].includes(k)) unknown(`${entry.name}.${k}`, k, SECTION_KEYS[key]);
    return { fields: entry.value, name: entry.name };
  };

  const resources = section('resources');
  if (resources) {
    const memory = resources.fields['memory_limit'];
    if (memory !== undefined) {
      const bytes = parseMemorySize(memory);
      if (bytes === undefined || bytes < MIN_MEMORY)
        warnings.push(
          `${resources.name}.memory_limit ${JSON.stringify(memory)} is not a size of at least 16MB (write it with a unit: 512MB, 2GB); the default is used`,
        );
      else config.memoryLimitBytes = bytes;
    }
    const tasks = resources.fields['concurrent_tasks'];
    if (tasks !== undefined) {
      if (typeof tasks === 'number' && Number.isSafeInteger(tasks) && tasks >= 1) config.concurrency = tasks;
      else
        warnings.push(
          `${resources.name}.concurrent_tasks ${JSON.stringify(tasks)} is not a positive integer; the default is used`,
        );
    }
  }

  const encryption = section('encryption');
  if (encryption) {
    const type = encryption.fields['type'];
    if (typeof type === 'string' && type.trim() !== '') config.encryption = type;
    else if (type !== undefined) warnings.push(`${encryption.name}.type should be text such as aes-256 or pq; ignored`);
    // Dilithium is ML-DSA, which signs every execution ticket already; anything else cannot be honoured.
    const signature = encryption.fields['signature'];
    if (signature !== undefined && !/dilithium|ml-?dsa/i.test(String(signature)))
      warnings.push(
        `${encryption.name}.signature ${JSON.stringify(signature)} ignored: tickets and run records are always signed with ML-DSA (FIPS 204)`,
      );
  }

  const database = section('database');
  if (database) {
    if (database.fields['type'] !== undefined) ignored.push(`${database.name}.type`);
    const engine = database.fields['engine'];
    const url = database.fields['url'];
    const postgres = engine === undefined || /^postgres(ql)?$/i.test(String(engine));
    const embedded = /^(pglite|embedded)$/i.test(String(engine));
    if (!postgres && !embedded)
      warnings.push(
        `${database.name}.engine ${JSON.stringify(engine)} is not supported (postgresql or pglite); the embedded database is used`,
      );
    else if (postgres && typeof url === 'string' && url !== '') config.databaseUrl = url;
    else if (postgres && engine !== undefined && !env['DATABASE_URL'])
      warnings.push(
        `${database.name}.engine is postgresql but no connection is given: set ${database.name}.url or DATABASE_URL; until then the embedded database is used`,
      );
    if (embedded && typeof url === 'string')
      warnings.push(`${database.name}.url ignored: the engine is ${String(engine)}`);
  }

  if (ignored.length > 0) warnings.unshift(`ignored (no meaning in MAML Gateway): ${ignored.join(', ')}`);
  return config;
}

/** DATABASE_URL when set (even empty: that asks for the embedded database), else the config's `database.url`. */
export function databaseUrlFrom(config: ProjectConfig, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const fromEnv = env['DATABASE_URL'];
  return fromEnv !== undefined ? fromEnv || undefined : config.databaseUrl;
}
