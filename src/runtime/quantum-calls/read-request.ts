/**
 * Checks one request line from a block before anything is simulated: JSON, its shape, the batch size, the shots
 * and the number of observables against the block's limits. Never throws; a problem carries the request's id
 * (when it had one) so the block's helper raises it from the call that caused it.
 */
import type { QuantumCallLimits } from './call-limits.js';
import { CALL_OPS } from './call-messages.js';
import type { CallError, CallOp, CallRequest, EncodeRequest } from './call-messages.js';

export type ReadRequest =
  | { readonly ok: true; readonly request: CallRequest | EncodeRequest }
  | { readonly ok: false; readonly id: number | null; readonly error: CallError };

const DEFAULT_SHOTS = 1024;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(id: number | null, message: string): ReadRequest {
  return { ok: false, id, error: { code: 'invalid_request', message } };
}

function readBindings(value: unknown): Record<string, number> | string {
  if (!isRecord(value)) return 'bindings must be an object of parameter names to numbers, e.g. {"theta": 0.5}';
  const out: Record<string, number> = {};
  for (const [name, number] of Object.entries(value)) {
    if (!NAME.test(name)) return `bindings: ${JSON.stringify(name.slice(0, 40))} is not a parameter name`;
    if (typeof number !== 'number' || !Number.isFinite(number))
      return `bindings: ${name} must be a finite number, not ${JSON.stringify(number)?.slice(0, 40)}`;
    Object.defineProperty(out, name, { value: number, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function readEncode(id: number, parsed: Record<string, unknown>): ReadRequest {
  const encoding = parsed['encoding'];
  if (encoding !== 'angle' && encoding !== 'amplitude') return invalid(id, 'encoding must be "angle" or "amplitude"');
  const features = parsed['features'];
  if (!Array.isArray(features)) return invalid(id, 'features must be a list of numbers');
  const rotation = parsed['rotation'] ?? 'ry';
  if (rotation !== 'rx' && rotation !== 'ry' && rotation !== 'rz') return invalid(id, 'rotation must be rx, ry or rz');
  return { ok: true, request: { id, op: 'encode', encoding, features, rotation } };
}

export function readRequest(line: string, limits: QuantumCallLimits): ReadRequest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (error) {
    return invalid(null, `the request is not JSON (${(error as Error).message})`);
  }
  if (!isRecord(parsed)) return invalid(null, 'the request must be a JSON object');
  const rawId = parsed['id'];
  if (typeof rawId !== 'number' || !Number.isSafeInteger(rawId))
    return invalid(null, 'the request needs a whole-number id');
  const id = rawId;
  const op = parsed['op'];
  if (op === 'encode') return readEncode(id, parsed);
  if (typeof op !== 'string' || !(CALL_OPS as readonly string[]).includes(op))
    return invalid(id, `op must be one of ${CALL_OPS.join(', ')}, encode`);
  const qasm = parsed['qasm'];
  if (typeof qasm !== 'string' || qasm.trim() === '')
    return invalid(id, 'qasm must be the OpenQASM program as a string');
  const rawBindings = parsed['bindings'] ?? [{}];
  if (!Array.isArray(rawBindings) || rawBindings.length === 0)
    return invalid(id, 'bindings must be a non-empty list of binding sets');
  if (rawBindings.length > limits.maxBatch)
    return {
      ok: false,
      id,
      error: {
        code: 'limit_exceeded',
        message: `a batch of ${rawBindings.length} binding sets is more than the ${limits.maxBatch} one call may carry; split it`,
      },
    };
  const bindings: Record<string, number>[] = [];
  for (const [k, set] of rawBindings.entries()) {
    const read = readBindings(set);
    if (typeof read === 'string') return invalid(id, rawBindings.length > 1 ? `binding set ${k}: ${read}` : read);
    bindings.push(read);
  }
  let observables: unknown[] = [];
  if (op !== 'run') {
    const raw = parsed['observables'];
    if (!Array.isArray(raw) || raw.length === 0)
      return invalid(id, `${op} needs observables, e.g. "0.5*Z0 Z1 - 0.2*X0"`);
    if (raw.length > limits.maxObservables)
      return {
        ok: false,
        id,
        error: {
          code: 'limit_exceeded',
          message: `${raw.length} observables is more than the ${limits.maxObservables} one call may carry`,
        },
      };
    observables = raw;
  }
  const shots = parsed['shots'] ?? DEFAULT_SHOTS;
  if (typeof shots !== 'number' || !Number.isSafeInteger(shots) || shots < 0)
    return invalid(id, 'shots must be a whole number');
  if (shots > limits.maxShots)
    return {
      ok: false,
      id,
      error: {
        code: 'limit_exceeded',
        message: `${shots} shots is more than the ${limits.maxShots} this gateway allows`,
      },
    };
  const seed = parsed['seed'];
  if (seed !== undefined && seed !== null && (typeof seed !== 'number' || !Number.isSafeInteger(seed)))
    return invalid(id, 'seed must be a whole number');
  return {
    ok: true,
    request: {
      id,
      op: op as CallOp,
      qasm,
      bindings,
      observables,
      shots,
      ...(typeof seed === 'number' ? { seed } : {}),
    },
  };
}
