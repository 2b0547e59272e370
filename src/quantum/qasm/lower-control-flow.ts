/**
 * Lowering of `if` (a run-time `ConditionalOp` on measured bits, or a branch chosen at compile time) and of `for`
 * loops, which are unrolled with the loop variable bound in a fresh scope per iteration.
 */
/* eslint-disable @typescript-eslint/no-non-null-assertion -- indices here are in range by construction (loop bounds,
   matrix dimensions, checked lookups); noUncheckedIndexedAccess would otherwise make every array read optional. */
import type { Expr, Statement } from './ast.js';
import { qasmDiagnostic } from './codes.js';
import { analyzeCondition } from './conditions.js';
import { evaluate } from './expressions.js';
import { MAX_WORK } from './limits.js';
import { num } from './value.js';
import type { LowerContext } from './lower-context.js';
import { nameOfType } from './lower-context.js';

export function lowerBlock(ctx: LowerContext, body: readonly Statement[]): void {
  ctx.withScope(() => {
    for (const s of body) ctx.lowerStatement(s);
  });
}

export function ifStatement(ctx: LowerContext, stmt: Extract<Statement, { kind: 'if' }>): void {
  const result = analyzeCondition(stmt.condition, ctx.env, ctx.bitResolver);
  if (!result) return;
  if (result.kind === 'static') {
    const chosen = result.value ? stmt.then : stmt.else;
    if (chosen) lowerBlock(ctx, chosen);
    return;
  }
  const saved = ctx.out;
  ctx.runtimeDepth++;
  try {
    ctx.out = [];
    lowerBlock(ctx, stmt.then);
    const then = ctx.out;
    ctx.out = [];
    if (stmt.else) lowerBlock(ctx, stmt.else);
    const otherwise = ctx.out;
    ctx.out = saved;
    ctx.emit({ type: 'if', condition: result.condition, then, else: otherwise }, stmt.span);
  } finally {
    ctx.out = saved;
    ctx.runtimeDepth--;
  }
}

export function forStatement(ctx: LowerContext, stmt: Extract<Statement, { kind: 'for' }>): void {
  const it = stmt.iterable;
  let values: number[] | undefined;
  let type: 'int' | 'float' = 'int';
  if (stmt.varType) {
    const t = nameOfType(stmt.varType.name);
    if (t === 'float') type = 'float';
  }
  const int = (e: Expr): number | undefined => {
    const v = evaluate(e, ctx.env);
    if (!v) return undefined;
    if (!Number.isInteger(v.v)) {
      ctx.report(qasmDiagnostic('invalid_loop', `Range bounds must be integers, not ${v.v}.`, e.span));
      return undefined;
    }
    return v.v;
  };
  if (it.kind === 'range') {
    if (!it.start || !it.end) {
      ctx.report(qasmDiagnostic('invalid_loop', 'A loop range needs a start and an end, as in `[0:3]`.', it.span));
      return;
    }
    const start = int(it.start);
    const end = int(it.end);
    const step = it.step ? int(it.step) : 1;
    if (start === undefined || end === undefined || step === undefined) return;
    if (step === 0) {
      ctx.report(qasmDiagnostic('invalid_loop', 'A loop step cannot be 0.', it.span));
      return;
    }
    const count = Math.max(0, Math.floor((end - start) / step) + 1);
    if (count > MAX_WORK) {
      ctx.report(
        qasmDiagnostic(
          'unroll_limit',
          `This loop runs ${count} times; at most ${MAX_WORK} iterations can be unrolled.`,
          it.span,
        ),
      );
      return;
    }
    values = Array.from({ length: count }, (_, i) => start + i * step);
  } else if (it.kind === 'set') {
    values = [];
    for (const e of it.items) {
      const v = evaluate(e, ctx.env);
      if (!v) return;
      if (v.type === 'float') type = 'float';
      values.push(v.v);
    }
  } else if (it.kind === 'single') {
    ctx.report(qasmDiagnostic('invalid_loop', 'Loop over a range such as `[0:3]` or a set such as `{0, 2}`.', it.span));
    return;
  } else {
    const e = it.expr;
    const name = e.kind === 'ident' ? e.name : undefined;
    ctx.report(
      name !== undefined && (ctx.qubitRegs.has(name) || ctx.bitRegs.has(name))
        ? qasmDiagnostic(
            'unsupported_feature',
            'Looping over a register is not supported by this simulator; loop over `[0:n-1]` and index it.',
            e.span,
          )
        : qasmDiagnostic('invalid_loop', 'Loop over a range such as `[0:3]` or a set such as `{0, 2}`.', e.span),
    );
    return;
  }
  for (const value of values) {
    ctx.tick(stmt.span);
    ctx.withScope(() => {
      ctx.scopes[ctx.scopes.length - 1]!.set(stmt.variable, {
        value: num(value, type),
        isConst: true,
        type,
        depth: ctx.runtimeDepth,
      });
      for (const s of stmt.body) ctx.lowerStatement(s);
    });
  }
}
