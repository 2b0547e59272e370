/**
 * Compile-time evaluation of OpenQASM expressions (gate angles, indices, loop bounds, constants), with
 * derivatives carried along (see value.ts). Failures become diagnostics and an `undefined` result.
 */
/* eslint-disable @typescript-eslint/no-non-null-assertion -- indices here are in range by construction (loop bounds,
   matrix dimensions, checked lookups); noUncheckedIndexedAccess would otherwise make every array read optional. */
import type { Diagnostic, Span } from '../../shared/diagnostic.js';
import type { Expr } from './ast.js';
import { qasmDiagnostic } from './codes.js';
import { combine, num } from './value.js';
import type { Derivatives, Value } from './value.js';

/** Built-in constants (OpenQASM 3 §"Built-in constants"; `pi` is the only one in OpenQASM 2). */
export const CONSTANTS: Readonly<Record<string, number>> = {
  pi: Math.PI,
  π: Math.PI,
  tau: 2 * Math.PI,
  τ: 2 * Math.PI,
  euler: Math.E,
  ℇ: Math.E,
};

export type Lookup =
  | { readonly kind: 'value'; readonly value: Value }
  | { readonly kind: 'register'; readonly what: 'qubit' | 'bit' }
  | undefined;

export interface ExprEnv {
  lookup(name: string): Lookup;
  report(d: Diagnostic): void;
}

type Unary = {
  readonly f: (x: number) => number;
  readonly df: (x: number) => number;
  readonly domain?: (x: number) => boolean;
};

const FUNCTIONS: Readonly<Record<string, Unary>> = {
  sin: { f: Math.sin, df: Math.cos },
  cos: { f: Math.cos, df: (x) => -Math.sin(x) },
  tan: { f: Math.tan, df: (x) => 1 / Math.cos(x) ** 2 },
  arcsin: { f: Math.asin, df: (x) => 1 / Math.sqrt(1 - x * x), domain: (x) => x >= -1 && x <= 1 },
  arccos: { f: Math.acos, df: (x) => -1 / Math.sqrt(1 - x * x), domain: (x) => x >= -1 && x <= 1 },
  arctan: { f: Math.atan, df: (x) => 1 / (1 + x * x) },
  asin: { f: Math.asin, df: (x) => 1 / Math.sqrt(1 - x * x), domain: (x) => x >= -1 && x <= 1 },
  acos: { f: Math.acos, df: (x) => -1 / Math.sqrt(1 - x * x), domain: (x) => x >= -1 && x <= 1 },
  atan: { f: Math.atan, df: (x) => 1 / (1 + x * x) },
  sinh: { f: Math.sinh, df: Math.cosh },
  cosh: { f: Math.cosh, df: Math.sinh },
  tanh: { f: Math.tanh, df: (x) => 1 - Math.tanh(x) ** 2 },
  exp: { f: Math.exp, df: Math.exp },
  ln: { f: Math.log, df: (x) => 1 / x, domain: (x) => x > 0 },
  log: { f: Math.log, df: (x) => 1 / x, domain: (x) => x > 0 },
  sqrt: { f: Math.sqrt, df: (x) => 0.5 / Math.sqrt(x), domain: (x) => x >= 0 },
  abs: { f: Math.abs, df: (x) => Math.sign(x) },
};

const INTEGER_FUNCTIONS: Readonly<Record<string, (x: number) => number>> = {
  floor: Math.floor,
  ceiling: Math.ceil,
  ceil: Math.ceil,
  round: Math.round,
};

export const FUNCTION_NAMES = [...Object.keys(FUNCTIONS), ...Object.keys(INTEGER_FUNCTIONS), 'mod', 'pow', 'arctan2'];

function scaled(d: Derivatives | undefined, k: number): Derivatives | undefined {
  return combine(k, d, 0, undefined);
}

function err(
  env: ExprEnv,
  code: 'type_error' | 'non_finite_value' | 'undeclared_identifier',
  message: string,
  span: Span,
): undefined {
  env.report(qasmDiagnostic(code, message, span));
  return undefined;
}

function resultType(a: Value, b: Value): 'int' | 'float' {
  return a.type !== 'float' && b.type !== 'float' ? 'int' : 'float';
}

function power(a: Value, b: Value): Value {
  const v = a.v ** b.v;
  // d(a^b) = b·a^(b−1)·da + a^b·ln(a)·db
  const da = a.d ? b.v * a.v ** (b.v - 1) : 0;
  const db = b.d && a.v > 0 ? v * Math.log(a.v) : 0;
  const type = resultType(a, b) === 'int' && b.v >= 0 ? 'int' : 'float';
  return num(v, type, combine(da, a.d, db, b.d));
}

export function evaluate(expr: Expr, env: ExprEnv): Value | undefined {
  switch (expr.kind) {
    case 'number':
      return { ...num(expr.value, expr.isInt ? 'int' : 'float'), literal: true };
    case 'bool':
      return num(expr.value ? 1 : 0, 'bool');
    case 'ident': {
      const found = env.lookup(expr.name);
      if (found?.kind === 'value') return found.value;
      if (found?.kind === 'register') {
        return err(
          env,
          'type_error',
          `\`${expr.name}\` is a ${found.what} register, not a number${found.what === 'bit' ? '; compare it in an `if` condition' : ''}.`,
          expr.span,
        );
      }
      const constant = CONSTANTS[expr.name];
      if (constant !== undefined) return num(constant, 'float');
      return err(env, 'undeclared_identifier', `\`${expr.name}\` is not declared.`, expr.span);
    }
    case 'unary': {
      const x = evaluate(expr.operand, env);
      if (!x) return undefined;
      switch (expr.op) {
        case '-': {
          const neg = num(-x.v, x.type === 'bool' ? 'int' : x.type, scaled(x.d, -1));
          return x.literal ? { ...neg, literal: true } : neg;
        }
        case '+':
          return x;
        case '!':
          return num(x.v === 0 ? 1 : 0, 'bool');
        default:
          if (x.type === 'float') return err(env, 'type_error', '`~` needs an integer operand.', expr.span);
          return num(~x.v, 'int');
      }
    }
    case 'binary':
      return evaluateBinary(expr, env);
    case 'call':
      return evaluateCall(expr, env);
    case 'index': {
      const found = env.lookup(expr.name);
      if (found?.kind === 'register')
        return err(
          env,
          'type_error',
          `\`${expr.name}[…]\` is a ${found.what}, not a number${found.what === 'bit' ? '; compare it in an `if` condition' : ''}.`,
          expr.span,
        );
      if (!found) return err(env, 'undeclared_identifier', `\`${expr.name}\` is not declared.`, expr.span);
      if (expr.index.kind !== 'single' || found.value.type === 'float')
        return err(
          env,
          'type_error',
          `Only single bits of an integer can be indexed (\`${expr.name}[i]\`).`,
          expr.span,
        );
      const i = evaluate(expr.index.expr, env);
      if (!i) return undefined;
      if (!Number.isInteger(i.v) || i.v < 0 || i.v > 52)
        return err(
          env,
          'type_error',
          `Bit index ${i.v} of \`${expr.name}\` must be an integer from 0 to 52.`,
          expr.index.span,
        );
      return num(Math.floor(found.value.v / 2 ** i.v) % 2, 'bool');
    }
    case 'measure':
      return err(env, 'type_error', '`measure` can only be assigned to a bit or bit register.', expr.span);
  }
}

function evaluateBinary(expr: Extract<Expr, { kind: 'binary' }>, env: ExprEnv): Value | undefined {
  const a = evaluate(expr.left, env);
  const b = evaluate(expr.right, env);
  if (!a || !b) return undefined;
  const type = resultType(a, b);
  const literal = (x: Value): Value => (a.literal && b.literal ? { ...x, literal: true } : x);
  switch (expr.op) {
    case '+':
      return literal(num(a.v + b.v, type, combine(1, a.d, 1, b.d)));
    case '-':
      return literal(num(a.v - b.v, type, combine(1, a.d, -1, b.d)));
    case '*':
      return literal(num(a.v * b.v, type, combine(b.v, a.d, a.v, b.d)));
    case '/':
      if (b.v === 0) return err(env, 'non_finite_value', 'Division by zero.', expr.span);
      // Integer variables divide as integers (OpenQASM 3 typing: `n/2` with `const int n = 3` is 1). Literals
      // divide as reals, as OpenQASM 2 and the published stdgates.inc (`pow(1/2) @ z`) require.
      if (type === 'int' && !(a.literal && b.literal)) return num(Math.trunc(a.v / b.v), 'int');
      return literal(num(a.v / b.v, 'float', combine(1 / b.v, a.d, -a.v / (b.v * b.v), b.d)));
    case '%':
      if (b.v === 0) return err(env, 'non_finite_value', 'Modulo by zero.', expr.span);
      return literal(num(a.v % b.v, type, a.d));
    case '**':
      return literal(power(a, b));
    case '==':
      return num(a.v === b.v ? 1 : 0, 'bool');
    case '!=':
      return num(a.v !== b.v ? 1 : 0, 'bool');
    case '<':
      return num(a.v < b.v ? 1 : 0, 'bool');
    case '<=':
      return num(a.v <= b.v ? 1 : 0, 'bool');
    case '>':
      return num(a.v > b.v ? 1 : 0, 'bool');
    case '>=':
      return num(a.v >= b.v ? 1 : 0, 'bool');
    case '&&':
      return num(a.v !== 0 && b.v !== 0 ? 1 : 0, 'bool');
    case '||':
      return num(a.v !== 0 || b.v !== 0 ? 1 : 0, 'bool');
    default: {
      if (a.type === 'float' || b.type === 'float')
        return err(env, 'type_error', `\`${expr.op}\` needs integer operands.`, expr.span);
      const x = BigInt(Math.trunc(a.v));
      const y = BigInt(Math.trunc(b.v));
      const r =
        expr.op === '&'
          ? x & y
          : expr.op === '|'
            ? x | y
            : expr.op === '^'
              ? x ^ y
              : expr.op === '<<'
                ? x << (y & 63n)
                : x >> (y & 63n);
      return literal(num(Number(BigInt.asIntN(64, r)), 'int'));
    }
  }
}

function evaluateCall(expr: Extract<Expr, { kind: 'call' }>, env: ExprEnv): Value | undefined {
  const args: Value[] = [];
  for (const a of expr.args) {
    const v = evaluate(a, env);
    if (!v) return undefined;
    args.push(v);
  }
  const arity = (n: number): boolean => {
    if (args.length === n) return true;
    env.report(
      qasmDiagnostic(
        'wrong_parameter_count',
        `\`${expr.name}\` takes ${n} argument${n === 1 ? '' : 's'} but was given ${args.length}.`,
        expr.span,
      ),
    );
    return false;
  };
  const fn = FUNCTIONS[expr.name];
  if (fn) {
    if (!arity(1)) return undefined;
    const x = args[0]!;
    if (fn.domain && !fn.domain(x.v))
      return err(env, 'non_finite_value', `\`${expr.name}(${x.v})\` is outside the function's domain.`, expr.span);
    return num(fn.f(x.v), 'float', scaled(x.d, fn.df(x.v)));
  }
  const intFn = INTEGER_FUNCTIONS[expr.name];
  if (intFn) return arity(1) ? num(intFn(args[0]!.v), 'int') : undefined;
  switch (expr.name) {
    case 'pow':
      return arity(2) ? power(args[0]!, args[1]!) : undefined;
    case 'mod':
      if (!arity(2)) return undefined;
      if (args[1]!.v === 0) return err(env, 'non_finite_value', 'Modulo by zero.', expr.span);
      return num(args[0]!.v % args[1]!.v, resultType(args[0]!, args[1]!), args[0]!.d);
    case 'arctan2': {
      if (!arity(2)) return undefined;
      const [y, x] = [args[0]!, args[1]!];
      const r2 = x.v * x.v + y.v * y.v;
      return num(Math.atan2(y.v, x.v), 'float', r2 === 0 ? undefined : combine(x.v / r2, y.d, -y.v / r2, x.d));
    }
    case 'float':
    case 'angle':
      return arity(1) ? num(args[0]!.v, 'float', args[0]!.d) : undefined;
    case 'int':
    case 'uint':
      return arity(1) ? num(Math.trunc(args[0]!.v), 'int') : undefined;
    case 'bool':
      return arity(1) ? num(args[0]!.v !== 0 ? 1 : 0, 'bool') : undefined;
    default:
      return err(env, 'undeclared_identifier', `\`${expr.name}\` is not a known function.`, expr.span);
  }
}
