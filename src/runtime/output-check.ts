/**
 * A block's outputs are checked before anything is done with them (ticket, cache, run database, downstream
 * blocks): names must be usable keys, values must be JSON that the run database stores faithfully. What cannot be
 * stored as it is fails the block with a message naming the output, the place inside it and what to do, rather
 * than being changed silently (a NUL dropped, a `__proto__` key lost, a 1e400 turned into null) or failing the
 * run later with a database error. Run on the head (before the result crosses the process boundary, where
 * JSON would already have turned Infinity into null) and again in the scheduler for every block.
 *
 * `storable` is the lenient counterpart for what the run only records (error messages, stderr tails, events):
 * there, characters the database cannot hold are replaced, since losing them is better than losing the record.
 */
import { MamlError } from '../shared/index.js';

/** Output names: as the output protocol (executors/outputs.ts) accepts them. */
const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const MAX_NAME_LENGTH = 128;
/** Deeper values are refused: the ticket's canonical JSON and the database's JSON parser both recurse. */
export const MAX_OUTPUT_DEPTH = 128;
/** A UTF-16 surrogate without its other half: not a Unicode character, so not valid UTF-8 JSON either. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

interface Problem {
  readonly code: 'nul_character' | 'lone_surrogate' | 'not_finite' | 'too_deep' | 'not_json';
  readonly path: string;
  readonly message: string;
}

const pointer = (path: string, key: string | number): string =>
  `${path}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;

function textProblem(text: string, path: string, what: string): Problem | undefined {
  if (text.includes('\u0000'))
    return {
      code: 'nul_character',
      path,
      message: `${what} contains the character U+0000, which the run database cannot store; remove it, or encode binary data (for example as base64)`,
    };
  if (LONE_SURROGATE.test(text))
    return {
      code: 'lone_surrogate',
      path,
      message: `${what} contains an unpaired UTF-16 surrogate, which is not valid Unicode; fix the text's encoding (binary data should be base64)`,
    };
  return undefined;
}

/** The first thing in `value` that is not faithfully storable JSON, or undefined. Iterative: depth is no risk. */
export function jsonProblem(value: unknown, maxDepth = MAX_OUTPUT_DEPTH): Problem | undefined {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: '', depth: 0 }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const { value: v, path, depth } = item;
    if (v === null || typeof v === 'boolean') continue;
    if (typeof v === 'string') {
      const problem = textProblem(v, path, 'a string');
      if (problem) return problem;
      continue;
    }
    if (typeof v === 'number') {
      if (!Number.isFinite(v))
        return {
          code: 'not_finite',
          path,
          message: `the number ${String(v)} is not JSON (a value such as 1e400 overflows); send it as a string, or null`,
        };
      continue;
    }
    if (typeof v !== 'object')
      return {
        code: 'not_json',
        path,
        message: `${v === undefined ? 'undefined' : `a ${typeof v}`} is not a JSON value`,
      };
    if (depth >= maxDepth)
      return {
        code: 'too_deep',
        path,
        message: `the value is nested more than ${maxDepth} levels deep; flatten it or send it as a JSON string`,
      };
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], path: pointer(path, i), depth: depth + 1 });
      continue;
    }
    const proto = Object.getPrototypeOf(v) as unknown;
    if (proto !== Object.prototype && proto !== null)
      return {
        code: 'not_json',
        path,
        message: `a ${(v as object).constructor?.name ?? 'non-plain object'} is not a JSON value`,
      };
    const keys = Object.keys(v);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i] as string;
      const problem = textProblem(key, pointer(path, key), 'a key');
      if (problem) return problem;
      stack.push({ value: (v as Record<string, unknown>)[key], path: pointer(path, key), depth: depth + 1 });
    }
  }
  return undefined;
}

/** A JSON Pointer as quoted in a message: a deep one is cut in the middle. */
export function shortPath(path: string): string {
  return path.length <= 80 ? path : `${path.slice(0, 40)}…${path.slice(-30)}`;
}

function nameProblem(name: string): string | undefined {
  if (name === '__proto__')
    return "is reserved: in JavaScript it names an object's prototype, so the output would be lost; rename it";
  if (name.length > MAX_NAME_LENGTH) return `is longer than ${MAX_NAME_LENGTH} characters; shorten it`;
  if (!NAME.test(name)) return 'is not a valid output name: use letters, digits, _ . - (starting with a letter or _)';
  return undefined;
}

/**
 * Checks a block's outputs; returns them unchanged, or throws `block_failed` (or `resource_limit` when they are
 * larger than `limitBytes` as JSON) naming the output, the JSON Pointer inside it and what to do.
 */
export function checkOutputs(blockId: string, outputs: unknown, limitBytes: number): Record<string, unknown> {
  if (outputs === null || typeof outputs !== 'object' || Array.isArray(outputs))
    throw new MamlError('block_failed', `block ${blockId} reported outputs that are not a name → value object`);
  const record = outputs as Record<string, unknown>;
  for (const name of Object.keys(record)) {
    const bad = nameProblem(name);
    if (bad !== undefined)
      throw new MamlError('block_failed', `block ${blockId}: the output name ${JSON.stringify(name)} ${bad}`, {
        details: { output: name, problem: 'invalid_name' },
      });
    const problem = jsonProblem(record[name]);
    if (problem)
      throw new MamlError(
        'block_failed',
        `block ${blockId}: output \`${name}\`${problem.path ? ` at ${shortPath(problem.path)}` : ''}: ${problem.message}`,
        { details: { output: name, path: problem.path, problem: problem.code } },
      );
  }
  const bytes = Buffer.byteLength(JSON.stringify(record));
  if (bytes > limitBytes)
    throw new MamlError(
      'resource_limit',
      `block ${blockId}: its outputs take ${bytes} bytes as JSON, more than the output limit of ${limitBytes} bytes; output less (or a summary), or ask the operator to raise --max-output`,
      { details: { limit: 'output', bytes, limitBytes } },
    );
  return record;
}

const REPLACEMENT = '\uFFFD';
const LONE_SURROGATES = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function storableText(text: string): string {
  return text.replaceAll('\u0000', REPLACEMENT).replace(LONE_SURROGATES, REPLACEMENT);
}

/**
 * A copy of `value` the run database can store: U+0000 and unpaired surrogates become U+FFFD, numbers that are
 * not finite and other non-JSON values become strings, nesting below MAX_OUTPUT_DEPTH is cut. For records
 * (errors, events), never for outputs.
 */
export function storable(value: unknown, depth = 0): unknown {
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'string') return storableText(value);
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (value === undefined) return null;
  if (typeof value !== 'object') return storableText(String(value));
  if (depth >= MAX_OUTPUT_DEPTH) return '[nested too deep]';
  if (Array.isArray(value)) return value.map((v) => storable(v, depth + 1));
  if (value instanceof Date) return value.toISOString();
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value))
    if (v !== undefined)
      Object.defineProperty(out, storableText(key), {
        value: storable(v, depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
  return out;
}
