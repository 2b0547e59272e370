/**
 * The project config file `.maml.yaml` (searched from the working directory upwards): `heads` (`quantum:2,ai:2`
 * or a class → count map), `identity` (the local identity, default agent://local) and `limits` (the operator caps,
 * checked by cli/limit-options.ts). Unknown keys are rejected
 * so a typo does not silently change nothing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { MamlError } from '../shared/errors.js';

export interface ProjectConfig {
  readonly heads?: string;
  readonly identity?: string;
  /** `limits:` as written (keys and values are checked where they are compiled). */
  readonly limits?: Readonly<Record<string, unknown>>;
  readonly path?: string;
}

const KEYS = new Set(['heads', 'identity', 'limits']);

export function loadProjectConfig(cwd: string): ProjectConfig {
  let dir = cwd;
  for (;;) {
    const path = join(dir, '.maml.yaml');
    if (existsSync(path)) return readConfig(path);
    const parent = dirname(dir);
    if (parent === dir) return {};
    dir = parent;
  }
}

function readConfig(path: string): ProjectConfig {
  let value: unknown;
  try {
    value = parseYaml(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new MamlError('usage', `${path}: not valid YAML (${(error as Error).message})`);
  }
  if (value === null || value === undefined) return { path };
  if (typeof value !== 'object' || Array.isArray(value)) throw new MamlError('usage', `${path}: expected a mapping`);
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record))
    if (!KEYS.has(key))
      throw new MamlError('usage', `${path}: unknown key \`${key}\` (known: heads, identity, limits)`);
  const config: { heads?: string; identity?: string; limits?: Record<string, unknown>; path: string } = { path };
  const heads = record['heads'];
  if (typeof heads === 'string') config.heads = heads;
  else if (heads && typeof heads === 'object')
    config.heads = Object.entries(heads as Record<string, unknown>)
      .map(([k, v]) => `${k}:${String(v)}`)
      .join(',');
  else if (heads !== undefined) throw new MamlError('usage', `${path}: heads must be like "quantum:2,ai:2"`);
  const identity = record['identity'];
  if (typeof identity === 'string') config.identity = identity;
  else if (identity !== undefined)
    throw new MamlError('usage', `${path}: identity must be a string such as agent://me`);
  const limits = record['limits'];
  if (limits && typeof limits === 'object' && !Array.isArray(limits)) config.limits = limits as Record<string, unknown>;
  else if (limits !== undefined && limits !== null)
    throw new MamlError('usage', `${path}: limits must be a mapping such as {max_timeout: 10m, max_memory: 1GiB}`);
  return config;
}
