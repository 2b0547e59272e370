/**
 * `permissions.quantum` in the front matter, compiled once when a run is planned:
 *
 * ```yaml
 * permissions:
 *   quantum: false          # no maml.quantum calls at all
 *   quantum:                # or bounds, each optional (defaults in call-limits.ts)
 *     calls: 5000           # circuit evaluations (a batch of n binding sets counts n)
 *     qubits: 12            # most qubits one circuit may use
 *     time: 2m              # total simulator time of the block
 * ```
 *
 * Absent or `true`: calls are allowed within the defaults. The result is a problem to report or the permission.
 */
import { parseDuration } from '../duration.js';
import type { QuantumPermission } from '../task-spec.js';

export type QuantumPermissionResult =
  | { readonly ok: true; readonly value: QuantumPermission | undefined }
  | { readonly ok: false; readonly message: string; readonly path: string };

const KEYS = new Set(['calls', 'qubits', 'time']);
/** Hard bounds on what a document may ask for (the operator's caps still apply on top, in call-limits.ts). */
export const MAX_PERMITTED_CALLS = 10_000_000;
export const MAX_PERMITTED_QUBITS = 1000;

function count(value: unknown, most: number): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1 && value <= most ? value : undefined;
}

export function quantumPermission(frontMatter: Readonly<Record<string, unknown>> | undefined): QuantumPermissionResult {
  const permissions = frontMatter?.['permissions'];
  const value =
    typeof permissions === 'object' && permissions !== null && !Array.isArray(permissions)
      ? (permissions as Record<string, unknown>)['quantum']
      : undefined;
  const path = '/permissions/quantum';
  if (value === undefined || value === null || value === true) return { ok: true, value: undefined };
  if (value === false) return { ok: true, value: false };
  if (typeof value !== 'object' || Array.isArray(value))
    return { ok: false, path, message: 'permissions.quantum must be false, true or {calls, qubits, time}' };
  const entries = value as Record<string, unknown>;
  const unknown = Object.keys(entries).find((k) => !KEYS.has(k));
  if (unknown !== undefined)
    return {
      ok: false,
      path: `${path}/${unknown}`,
      message: `permissions.quantum has no \`${unknown}\`; use calls, qubits or time`,
    };
  const out: { calls?: number; qubits?: number; timeMs?: number } = {};
  if (entries['calls'] !== undefined) {
    const calls = count(entries['calls'], MAX_PERMITTED_CALLS);
    if (calls === undefined)
      return {
        ok: false,
        path: `${path}/calls`,
        message: `permissions.quantum.calls must be a whole number from 1 to ${MAX_PERMITTED_CALLS}`,
      };
    out.calls = calls;
  }
  if (entries['qubits'] !== undefined) {
    const qubits = count(entries['qubits'], MAX_PERMITTED_QUBITS);
    if (qubits === undefined)
      return {
        ok: false,
        path: `${path}/qubits`,
        message: `permissions.quantum.qubits must be a whole number from 1 to ${MAX_PERMITTED_QUBITS}`,
      };
    out.qubits = qubits;
  }
  if (entries['time'] !== undefined) {
    const time = entries['time'];
    const ms =
      typeof time === 'number'
        ? parseDuration(String(time))
        : typeof time === 'string'
          ? parseDuration(time)
          : undefined;
    if (ms === undefined)
      return {
        ok: false,
        path: `${path}/time`,
        message: 'permissions.quantum.time must be a duration such as 30s, 2m or 500ms',
      };
    out.timeMs = ms;
  }
  return { ok: true, value: out };
}
