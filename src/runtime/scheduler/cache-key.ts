/**
 * The opt-in result cache key: SHA-256 over the block's language and source, the executor version, the block's
 * attributes and inputs, and the hashes of its upstream blocks' outputs, in canonical JSON (sorted keys).
 */
import { createHash } from 'node:crypto';

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function cacheKey(parts: {
  lang: string;
  source: string;
  executorVersion: string;
  attributes: Readonly<Record<string, string>>;
  inputs: unknown;
  upstreamOutputHashes: readonly string[];
}): string {
  return sha256(canonicalJson({ v: 1, ...parts }));
}
