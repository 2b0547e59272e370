/**
 * Classical values during lowering. Numbers carry forward-mode derivatives (dual numbers): `d[param]` is
 * ∂value/∂param for each `input float`/`input angle` parameter the value depends on. That is how gate matrices get
 * exact `derivatives` for adjoint gradients without symbolic algebra: every operation below applies its calculus
 * rule to the derivative map alongside the value.
 */

export type ValueType = 'int' | 'float' | 'bool';

export interface Value {
  readonly v: number;
  readonly type: ValueType;
  /** ∂v/∂param; absent or empty when the value does not depend on a parameter. */
  readonly d?: Readonly<Record<string, number>>;
  /** Built only from numeric literals (such values divide as reals; see expressions.ts). */
  readonly literal?: boolean;
}

export type Derivatives = Readonly<Record<string, number>>;

export function num(v: number, type: ValueType = 'float', d?: Derivatives): Value {
  return d && Object.keys(d).length > 0 ? { v, type, d } : { v, type };
}

/** Linear combination of derivative maps: a·da + b·db. */
export function combine(
  a: number,
  da: Derivatives | undefined,
  b: number,
  db: Derivatives | undefined,
): Derivatives | undefined {
  if (!da && !db) return undefined;
  const out: Record<string, number> = {};
  if (da) for (const [k, x] of Object.entries(da)) out[k] = (out[k] ?? 0) + a * x;
  if (db) for (const [k, x] of Object.entries(db)) out[k] = (out[k] ?? 0) + b * x;
  return out;
}

export function hasDerivatives(values: readonly Value[]): boolean {
  return values.some((x) => x.d !== undefined);
}

/** Parameters any of the values depends on, sorted. */
export function dependencies(values: readonly Value[]): string[] {
  const names = new Set<string>();
  for (const x of values) if (x.d) for (const k of Object.keys(x.d)) names.add(k);
  return [...names].sort();
}

export function isIntegral(x: Value): boolean {
  return x.type !== 'float' || Number.isInteger(x.v);
}
