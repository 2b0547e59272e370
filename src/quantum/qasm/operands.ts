/**
 * Resolving qubit and bit operands (`q`, `q[1]`, `q[-1]`, `q[0:2]`, `q[{0, 3}]`) to flat indices, with
 * `index_out_of_range`, `invalid_index` and `undeclared_identifier` diagnostics. OpenQASM 3 ranges include their
 * end (`q[0:2]` is q[0], q[1], q[2]); negative indices count from the end.
 */
import type { Span } from '../../shared/diagnostic.js';
import type { Expr, IndexItem, Operand } from './ast.js';
import { qasmDiagnostic } from './codes.js';
import { evaluate } from './expressions.js';
import type { ExprEnv } from './expressions.js';

export interface RegisterInfo {
  readonly name: string;
  readonly start: number;
  readonly size: number;
  /** Declared without a size (`qubit q;`, `bit b;`): the name denotes one bit, not a register to broadcast over. */
  readonly single: boolean;
  readonly span: Span;
}

export interface ResolvedOperand {
  readonly indices: readonly number[];
  /** True for a single qubit/bit (repeated when a gate broadcasts over registers). */
  readonly single: boolean;
}

function integer(expr: Expr, env: ExprEnv, what: string): number | undefined {
  const v = evaluate(expr, env);
  if (!v) return undefined;
  if (!Number.isInteger(v.v)) {
    env.report(qasmDiagnostic('invalid_index', `${what} must be an integer, but it is ${v.v}.`, expr.span));
    return undefined;
  }
  return v.v;
}

/** Positions selected by an index item in a sequence of `size` elements (0-based), or undefined after a diagnostic. */
export function selectIndices(item: IndexItem, size: number, name: string, env: ExprEnv): number[] | undefined {
  const check = (i: number, span: Span): number | undefined => {
    const j = i < 0 ? size + i : i;
    if (j < 0 || j >= size) {
      env.report(
        qasmDiagnostic(
          'index_out_of_range',
          `Index ${i} is out of range for \`${name}\` of size ${size} (valid indices: 0 to ${size - 1}).`,
          span,
        ),
      );
      return undefined;
    }
    return j;
  };
  switch (item.kind) {
    case 'single': {
      const i = integer(item.expr, env, 'An index');
      return i === undefined ? undefined : ((j) => (j === undefined ? undefined : [j]))(check(i, item.expr.span));
    }
    case 'set': {
      const out: number[] = [];
      for (const e of item.items) {
        const i = integer(e, env, 'An index');
        if (i === undefined) return undefined;
        const j = check(i, e.span);
        if (j === undefined) return undefined;
        out.push(j);
      }
      return out;
    }
    case 'range': {
      const start = item.start ? integer(item.start, env, 'A range start') : 0;
      const step = item.step ? integer(item.step, env, 'A range step') : 1;
      const end = item.end ? integer(item.end, env, 'A range end') : size - 1;
      if (start === undefined || step === undefined || end === undefined) return undefined;
      if (step === 0) {
        env.report(qasmDiagnostic('invalid_index', 'A range step cannot be 0.', item.span));
        return undefined;
      }
      const out: number[] = [];
      for (let i = start; step > 0 ? i <= end : i >= end; i += step) {
        const j = check(i, item.span);
        if (j === undefined) return undefined;
        out.push(j);
        if (out.length > size) break;
      }
      return out;
    }
  }
}

export function resolveOperand(
  operand: Operand,
  registers: ReadonlyMap<string, RegisterInfo>,
  kind: 'qubit' | 'bit',
  env: ExprEnv,
  other: ReadonlyMap<string, RegisterInfo>,
): ResolvedOperand | undefined {
  const reg = registers.get(operand.name);
  if (!reg) {
    const message = other.has(operand.name)
      ? `\`${operand.name}\` is a ${kind === 'qubit' ? 'bit' : 'qubit'} register, but a ${kind} is needed here.`
      : `${kind === 'qubit' ? 'Qubit' : 'Bit'} register \`${operand.name}\` is not declared.`;
    env.report(qasmDiagnostic(other.has(operand.name) ? 'type_error' : 'undeclared_identifier', message, operand.span));
    return undefined;
  }
  if (!operand.index) {
    const indices = Array.from({ length: reg.size }, (_, i) => reg.start + i);
    return { indices, single: reg.single };
  }
  const picked = selectIndices(operand.index, reg.size, operand.name, env);
  if (!picked) return undefined;
  return { indices: picked.map((i) => reg.start + i), single: operand.index.kind === 'single' };
}
