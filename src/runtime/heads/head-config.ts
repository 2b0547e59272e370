/**
 * Which heads the pool starts: affinity classes and counts, from `--heads quantum:2,ai:2` or `.maml.yaml`.
 * The default mirrors the seed documents: two `quantum` heads (OpenQASM) and two `ai` heads (everything else).
 */
import { MamlError } from '../../shared/index.js';

export interface HeadClassCount {
  readonly headClass: string;
  readonly count: number;
}

export const DEFAULT_HEADS: readonly HeadClassCount[] = [
  { headClass: 'quantum', count: 2 },
  { headClass: 'ai', count: 2 },
];

/** At most this many heads in total: each is a Node process. */
const MAX_HEADS = 64;

export function parseHeads(text: string): HeadClassCount[] {
  const out: HeadClassCount[] = [];
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const match = /^([a-z][a-z0-9_-]*):(\d+)$/.exec(part);
    const count = Number(match?.[2]);
    if (!match || !Number.isInteger(count) || count < 1)
      throw new MamlError('usage', `invalid head spec \`${part}\`: use class:count, e.g. --heads quantum:2,ai:2`);
    if (out.some((h) => h.headClass === match[1]))
      throw new MamlError('usage', `head class \`${match[1]}\` is listed twice in --heads`);
    out.push({ headClass: match[1] ?? '', count });
  }
  if (out.length === 0) throw new MamlError('usage', 'no heads given: use class:count, e.g. --heads quantum:2,ai:2');
  const total = out.reduce((n, h) => n + h.count, 0);
  if (total > MAX_HEADS) throw new MamlError('usage', `at most ${MAX_HEADS} heads in total (asked for ${total})`);
  return out;
}
