/**
 * Classical `if` conditions. A condition on measured bits becomes an IR `Condition` (one bit or bit register
 * compared with a compile-time integer: `c == 3`, `c[0] == 1`, `c[0]`, `!c[0]`, `3 <= c`); a condition without bits
 * is evaluated at compile time and selects a branch. Anything else gets `invalid_condition`.
 */
/* eslint-disable @typescript-eslint/no-non-null-assertion -- indices here are in range by construction (loop bounds,
   matrix dimensions, checked lookups); noUncheckedIndexedAccess would otherwise make every array read optional. */
import type { Condition } from '../circuit.js';
import type { Expr, Operand } from './ast.js';
import { qasmDiagnostic } from './codes.js';
import { evaluate } from './expressions.js';
import type { ExprEnv } from './expressions.js';

export type ConditionResult =
  { readonly kind: 'runtime'; readonly condition: Condition } | { readonly kind: 'static'; readonly value: boolean };

const FLIP: Readonly<Record<string, Condition['comparison']>> = {
  '==': '==',
  '!=': '!=',
  '<': '>',
  '<=': '>=',
  '>': '<',
  '>=': '<=',
};

export interface BitResolver {
  isBitRegister(name: string): boolean;
  /** Clbits of a bit operand, or undefined after reporting. */
  bits(operand: Operand): readonly number[] | undefined;
}

function mentionsBits(expr: Expr, bits: BitResolver): boolean {
  switch (expr.kind) {
    case 'ident':
    case 'index':
      return bits.isBitRegister(expr.name);
    case 'unary':
      return mentionsBits(expr.operand, bits);
    case 'binary':
      return mentionsBits(expr.left, bits) || mentionsBits(expr.right, bits);
    case 'call':
      return expr.args.some((a) => mentionsBits(a, bits));
    default:
      return false;
  }
}

function bitRef(expr: Expr, bits: BitResolver): Operand | undefined {
  if (expr.kind === 'ident' && bits.isBitRegister(expr.name)) return { name: expr.name, span: expr.span };
  if (expr.kind === 'index' && bits.isBitRegister(expr.name))
    return { name: expr.name, index: expr.index, span: expr.span };
  // `bool(c[0])` and `int(c)` are the same bits
  if (expr.kind === 'call' && ['bool', 'int', 'uint'].includes(expr.name) && expr.args.length === 1)
    return bitRef(expr.args[0]!, bits);
  return undefined;
}

export function analyzeCondition(expr: Expr, env: ExprEnv, bits: BitResolver): ConditionResult | undefined {
  if (!mentionsBits(expr, bits)) {
    const v = evaluate(expr, env);
    return v ? { kind: 'static', value: v.v !== 0 } : undefined;
  }
  const runtime = (
    operand: Operand,
    comparison: Condition['comparison'],
    value: number,
  ): ConditionResult | undefined => {
    const clbits = bits.bits(operand);
    return clbits ? { kind: 'runtime', condition: { clbits, comparison, value } } : undefined;
  };
  const direct = bitRef(expr, bits);
  if (direct) return runtime(direct, '!=', 0);
  if (expr.kind === 'unary' && expr.op === '!') {
    const inner = bitRef(expr.operand, bits);
    if (inner) return runtime(inner, '==', 0);
  }
  if (expr.kind === 'binary' && FLIP[expr.op] !== undefined) {
    const left = bitRef(expr.left, bits);
    const right = bitRef(expr.right, bits);
    const [ref, other, comparison] = left
      ? ([left, expr.right, expr.op as Condition['comparison']] as const)
      : ([right, expr.left, FLIP[expr.op]!] as const);
    if (ref && !mentionsBits(other, bits)) {
      const v = evaluate(other, env);
      if (!v) return undefined;
      if (!Number.isInteger(v.v) || v.v < 0) {
        env.report(
          qasmDiagnostic(
            'invalid_condition',
            `Bits can only be compared with a non-negative integer, not ${v.v}.`,
            other.span,
          ),
        );
        return undefined;
      }
      return runtime(ref, comparison, v.v);
    }
  }
  env.report(
    qasmDiagnostic(
      'invalid_condition',
      'This condition is not supported by this simulator: compare one bit or bit register with an integer, as in `if (c == 3)` or `if (c[0] == 1)`.',
      expr.span,
    ),
  );
  return undefined;
}
