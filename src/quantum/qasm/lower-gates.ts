/**
 * Gate definitions and gate calls. A call of a built-in gate, a library gate on up to 5 qubits or a user gate on up
 * to 3 qubits becomes one `UnitaryOp` whose matrix is computed from the gate body (gate-op.ts); a gate whose body
 * is a single call lowers to that call's op, keeping its controls; wider user gates are inlined. `inv` is the
 * conjugate transpose, `pow` an exact integer power or a principal-branch real power, `ctrl`/`negctrl` become IR
 * controls. Arity, parameter count, duplicate qubits and broadcasting are checked here.
 */
/* eslint-disable @typescript-eslint/no-non-null-assertion -- indices here are in range by construction (loop bounds,
   matrix dimensions, checked lookups); noUncheckedIndexedAccess would otherwise make every array read optional. */
import type { Span } from '../../shared/diagnostic.js';
import type { ComplexMatrix, Operation } from '../circuit.js';
import type { Expr, Modifier, Statement } from './ast.js';
import { qasmDiagnostic } from './codes.js';
import { evaluate } from './expressions.js';
import type { ExprEnv } from './expressions.js';
import { UnitaryBuilder, globalPhase, inverse, invertOps, power, snap, uGate } from './gate-op.js';
import type { GateOp, Unitary } from './gate-op.js';
import { MAX_GATE_DEPTH, MAX_LIBRARY_MATRIX_QUBITS, MAX_MATRIX_QUBITS, MAX_QUBITS } from './limits.js';
import type { ResolvedOperand } from './operands.js';
import { QELIB1_NAMES } from './qelib1.js';
import { STDGATES_NAMES } from './stdgates.js';
import { hasDerivatives, num } from './value.js';
import type { Value } from './value.js';
import { LimitExceeded } from './lower-context.js';
import type { GateEntry, ResolvedModifier, LowerContext } from './lower-context.js';

export function defineGate(ctx: LowerContext, stmt: Extract<Statement, { kind: 'gate_def' }>, library: boolean): void {
  if (ctx.gates.has(stmt.name)) {
    const builtin = ctx.gates.get(stmt.name)?.kind === 'builtin';
    ctx.report(
      qasmDiagnostic(
        'duplicate_declaration',
        builtin
          ? `\`${stmt.name}\` is a built-in gate and cannot be redefined.`
          : `Gate \`${stmt.name}\` is already defined.`,
        stmt.nameSpan,
      ),
    );
    return;
  }
  const seen = new Set<string>();
  let ok = true;
  for (const p of [...stmt.params, ...stmt.qubits]) {
    if (seen.has(p.name)) {
      ctx.report(
        qasmDiagnostic(
          'duplicate_declaration',
          `\`${p.name}\` appears twice in the definition of \`${stmt.name}\`.`,
          p.span,
        ),
      );
      ok = false;
    }
    seen.add(p.name);
  }
  const entry: GateEntry = {
    kind: 'defined',
    name: stmt.name,
    paramNames: stmt.params.map((p) => p.name),
    qubitNames: stmt.qubits.map((q) => q.name),
    params: stmt.params.length,
    arity: stmt.qubits.length,
    body: stmt.body,
    library,
    opaque: stmt.opaque,
    valid: ok,
  };
  if (ok && !library && !stmt.opaque) {
    // Check the body once, with placeholder arguments, so that its mistakes are reported where they are.
    const before = ctx.errorCount();
    const placeholders = stmt.params.map((_, i) => num(0.37 + 0.11 * i, 'float'));
    inlineBody(
      ctx,
      entry,
      placeholders,
      stmt.qubits.map((_, i) => i),
      1,
      true,
    );
    entry.valid = ctx.errorCount() === before;
  }
  ctx.gates.set(stmt.name, entry);
}

export function undefinedGate(ctx: LowerContext, name: string, span: Span): void {
  let hint = '';
  if (!ctx.includes.has('stdgates.inc') && !ctx.includes.has('qelib1.inc')) {
    if (ctx.qasm2 && QELIB1_NAMES.includes(name)) hint = ' Add `include "qelib1.inc";` after the OPENQASM line.';
    else if (STDGATES_NAMES.includes(name)) hint = ' Add `include "stdgates.inc";` after the OPENQASM line.';
    else if (QELIB1_NAMES.includes(name)) hint = ' It is defined in "qelib1.inc"; include it.';
  } else if (!ctx.includes.has('qelib1.inc') && QELIB1_NAMES.includes(name)) {
    hint = ' It is defined in "qelib1.inc"; include it.';
  }
  ctx.report(qasmDiagnostic('undefined_gate', `Gate \`${name}\` is not defined.${hint}`, span));
}

export function resolveModifiers(modifiers: readonly Modifier[], env: ExprEnv): ResolvedModifier[] | undefined {
  const out: ResolvedModifier[] = [];
  for (const m of modifiers) {
    if (m.kind === 'inv') out.push({ kind: 'inv' });
    else if (m.kind === 'pow') {
      const e = evaluate(m.exponent, env);
      if (!e) return undefined;
      if (!Number.isFinite(e.v)) {
        env.report(qasmDiagnostic('invalid_modifier', 'The `pow` exponent must be a finite number.', m.exponent.span));
        return undefined;
      }
      out.push({ kind: 'pow', exponent: e, span: m.span });
    } else {
      let count = 1;
      if (m.count) {
        const c = evaluate(m.count, env);
        if (!c) return undefined;
        if (!Number.isInteger(c.v) || c.v < 1 || c.v > MAX_QUBITS) {
          env.report(
            qasmDiagnostic(
              'invalid_modifier',
              `\`${m.kind}(n)\` needs a positive integer number of controls, not ${c.v}.`,
              m.count.span,
            ),
          );
          return undefined;
        }
        count = c.v;
      }
      out.push({ kind: m.kind, count });
    }
  }
  return out;
}

export function gateCall(ctx: LowerContext, stmt: Extract<Statement, { kind: 'gate_call' }>): void {
  const entry = ctx.gates.get(stmt.name);
  if (!entry) return undefinedGate(ctx, stmt.name, stmt.nameSpan);
  if (entry.kind === 'defined' && entry.opaque) {
    ctx.report(
      qasmDiagnostic(
        'unsupported_feature',
        `Opaque gate \`${stmt.name}\` has no definition, so it is not supported by this simulator.`,
        stmt.nameSpan,
      ),
    );
    return;
  }
  const mods = resolveModifiers(stmt.modifiers, ctx.env);
  const args = evaluateArgs(stmt.args, ctx.env);
  if (!mods || !args) return;
  if (!checkCounts(ctx, stmt.name, entry, mods, args.length, stmt.operands.length, stmt.nameSpan, stmt.span)) return;
  const resolved: ResolvedOperand[] = [];
  for (const o of stmt.operands) {
    const r = ctx.resolve(o, 'qubit');
    if (!r) return;
    resolved.push(r);
  }
  let width: number | undefined;
  for (const [i, r] of resolved.entries()) {
    if (r.single) continue;
    if (width === undefined) width = r.indices.length;
    else if (r.indices.length !== width) {
      ctx.report(
        qasmDiagnostic(
          'register_size_mismatch',
          `Registers of different sizes (${width} and ${r.indices.length}) cannot be combined in one \`${stmt.name}\`; index them or use equal sizes.`,
          stmt.operands[i]!.span,
        ),
      );
      return;
    }
  }
  if (entry.kind === 'defined' && !entry.valid) return;
  for (let k = 0; k < (width ?? 1); k++) {
    const qubits = resolved.map((r) => (r.single ? r.indices[0]! : r.indices[k]!));
    const dup = qubits.find((q, i) => qubits.indexOf(q) !== i);
    if (dup !== undefined) {
      ctx.report(
        qasmDiagnostic(
          'duplicate_qubit',
          `Qubit ${ctx.qubitName(dup)} is used more than once in one \`${stmt.name}\`.`,
          stmt.span,
        ),
      );
      return;
    }
    const ops = expand(ctx, entry, args, mods, qubits, 0, stmt.span, false);
    if (!ops) return;
    for (const op of ops) ctx.emit(toIR(ctx, op), stmt.span);
  }
}

export function evaluateArgs(exprs: readonly Expr[], env: ExprEnv): Value[] | undefined {
  const out: Value[] = [];
  for (const e of exprs) {
    const v = evaluate(e, env);
    if (!v) return undefined;
    if (!Number.isFinite(v.v)) {
      env.report(qasmDiagnostic('non_finite_value', 'A gate parameter evaluates to a non-finite number.', e.span));
      return undefined;
    }
    out.push(v);
  }
  return out;
}

export function checkCounts(
  ctx: LowerContext,
  name: string,
  entry: GateEntry,
  mods: readonly ResolvedModifier[],
  nArgs: number,
  nQubits: number,
  nameSpan: Span,
  span: Span,
): boolean {
  if (nArgs !== entry.params) {
    ctx.report(
      qasmDiagnostic(
        'wrong_parameter_count',
        `\`${name}\` takes ${entry.params} parameter${entry.params === 1 ? '' : 's'} but was given ${nArgs}.`,
        nameSpan,
      ),
    );
    return false;
  }
  const controls = mods.reduce((n, m) => n + (m.kind === 'ctrl' || m.kind === 'negctrl' ? m.count : 0), 0);
  if (nQubits !== controls + entry.arity) {
    const need =
      controls > 0
        ? `${controls + entry.arity} qubits (${controls} control${controls === 1 ? '' : 's'} + ${entry.arity})`
        : `${entry.arity} qubit${entry.arity === 1 ? '' : 's'}`;
    ctx.report(qasmDiagnostic('wrong_qubit_count', `\`${name}\` acts on ${need} but was given ${nQubits}.`, span));
    return false;
  }
  return true;
}

export function matrixable(entry: GateEntry): boolean {
  return entry.kind === 'builtin' || entry.arity <= (entry.library ? MAX_LIBRARY_MATRIX_QUBITS : MAX_MATRIX_QUBITS);
}

/** The ops of one gate application on concrete qubits (controls first), or undefined after a diagnostic. */
export function expand(
  ctx: LowerContext,
  entry: GateEntry,
  args: readonly Value[],
  mods: readonly ResolvedModifier[],
  qubits: readonly number[],
  depth: number,
  span: Span,
  checking: boolean,
): GateOp[] | undefined {
  if (depth > MAX_GATE_DEPTH) {
    throw new LimitExceeded(
      qasmDiagnostic('unroll_limit', `Gate definitions nest more than ${MAX_GATE_DEPTH} levels deep.`, span),
    );
  }
  const controls: number[] = [];
  const controlValues: (0 | 1)[] = [];
  for (const m of mods) {
    if (m.kind !== 'ctrl' && m.kind !== 'negctrl') continue;
    for (let i = 0; i < m.count; i++) {
      controls.push(qubits[controls.length]!);
      controlValues.push(m.kind === 'ctrl' ? 1 : 0);
    }
  }
  const targets = qubits.slice(controls.length);
  if (entry.kind === 'builtin' || matrixable(entry)) {
    // A gate whose body is one call (`cx a, b { ctrl @ x a, b; }`, `p(λ) a { ctrl @ gphase(λ) a; }`) lowers to
    // that call's op under its own name, so the controls it declares stay IR controls instead of being folded
    // into a dense matrix.
    let core: GateOp | undefined;
    if (entry.kind === 'defined' && entry.body.filter((b) => b.kind !== 'barrier').length === 1) {
      const inner = inlineBody(ctx, entry, args, targets, depth + 1, checking);
      if (!inner) return undefined;
      if (inner.length === 1) core = inner[0];
    }
    if (!core) {
      const full = unitaryOf(ctx, entry, args, depth, span, checking);
      if (!full) return undefined;
      core = {
        targets,
        matrix: full.matrix,
        derivatives: full.derivatives,
        controls: [],
        controlValues: [],
        label: entry.name,
      };
    }
    let u: Unitary = core;
    for (let i = mods.length - 1; i >= 0; i--) {
      const m = mods[i]!;
      if (m.kind === 'inv') u = inverse(u);
      else if (m.kind === 'pow') {
        const p = power(u, m.exponent.v);
        if (!p) {
          ctx.report(
            qasmDiagnostic(
              'power_not_computable',
              `pow(${m.exponent.v}) of \`${entry.name}\` could not be computed.`,
              m.span,
            ),
          );
          return undefined;
        }
        if (p.derivativesDropped || m.exponent.d) derivativeWarning(ctx, entry.name, m.span);
        u = p.unitary;
      }
    }
    return [
      {
        targets: core.targets,
        matrix: snap(u.matrix),
        derivatives: u.derivatives,
        controls: [...controls, ...core.controls],
        controlValues: [...controlValues, ...core.controlValues],
        label: entry.name,
      },
    ];
  }
  let ops = inlineBody(ctx, entry, args, targets, depth + 1, checking);
  if (!ops) return undefined;
  for (let i = mods.length - 1; i >= 0; i--) {
    const m = mods[i]!;
    if (m.kind === 'inv') ops = invertOps(ops);
    else if (m.kind === 'pow') {
      const k = m.exponent.v;
      if (!Number.isInteger(k)) {
        ctx.report(
          qasmDiagnostic(
            'power_not_computable',
            `\`pow(${k}) @ ${entry.name}\` is not supported by this simulator: \`${entry.name}\` acts on ${entry.arity} qubits, more than the ${MAX_MATRIX_QUBITS} for which a matrix is built; use an integer power.`,
            m.span,
          ),
        );
        return undefined;
      }
      const base: GateOp[] = k < 0 ? invertOps(ops) : ops;
      ctx.tick(span, base.length * Math.abs(k));
      ops = Array.from({ length: Math.abs(k) }, () => base).flat();
    }
  }
  if (controls.length === 0) return ops;
  return ops.map((op) => ({
    ...op,
    controls: [...controls, ...op.controls],
    controlValues: [...controlValues, ...op.controlValues],
  }));
}

export function derivativeWarning(ctx: LowerContext, name: string, span: Span): void {
  ctx.report(
    qasmDiagnostic(
      'derivative_unavailable',
      `No derivative is recorded for this \`${name}\`: a non-integer or parameter-dependent \`pow\` exponent has no exact rule here, so gradients through it are missing.`,
      span,
      'warning',
    ),
  );
}

export function unitaryOf(
  ctx: LowerContext,
  entry: GateEntry,
  args: readonly Value[],
  depth: number,
  span: Span,
  checking: boolean,
): Unitary | undefined {
  if (entry.kind === 'builtin') return entry.name === 'U' ? uGate(args[0]!, args[1]!, args[2]!) : globalPhase(args[0]!);
  const cacheable = !hasDerivatives(args);
  const key = `${entry.name}(${args.map((a) => a.v).join(',')})`;
  if (cacheable) {
    const hit = ctx.cache.get(key);
    if (hit) return hit;
  }
  const local = Array.from({ length: entry.arity }, (_, i) => i);
  const ops = inlineBody(ctx, entry, args, local, depth + 1, checking);
  if (!ops) return undefined;
  const builder = new UnitaryBuilder(entry.arity);
  for (const op of ops) {
    ctx.tick(span);
    builder.apply(op);
  }
  const u = builder.result();
  if (cacheable) ctx.cache.set(key, u);
  return u;
}

/** The body of a defined gate as ops on `qubits` (the gate's qubit arguments in order). */
export function inlineBody(
  ctx: LowerContext,
  entry: Extract<GateEntry, { kind: 'defined' }>,
  args: readonly Value[],
  qubits: readonly number[],
  depth: number,
  checking: boolean,
): GateOp[] | undefined {
  const params = new Map(entry.paramNames.map((n, i) => [n, args[i]!]));
  const qubitIndex = new Map(entry.qubitNames.map((n, i) => [n, qubits[i]!]));
  const env: ExprEnv = {
    lookup: (name) => {
      const p = params.get(name);
      if (p) return { kind: 'value', value: p };
      if (qubitIndex.has(name)) return { kind: 'register', what: 'qubit' };
      const global = ctx.scopes[0]!.get(name);
      if (global?.isConst) return { kind: 'value', value: global.value };
      return undefined;
    },
    report: (d) => ctx.report(d),
  };
  const out: GateOp[] = [];
  for (const stmt of entry.body) {
    if (stmt.kind === 'barrier') continue;
    if (stmt.kind !== 'gate_call') {
      if (checking)
        ctx.report(
          qasmDiagnostic(
            'invalid_gate_body',
            `A gate body may contain only gate calls, \`gphase\` and \`barrier\`; this ${stmt.kind === 'unsupported' ? 'statement' : `\`${stmt.kind.replace(/_.*/, '')}\``} is not allowed in \`${entry.name}\`.`,
            stmt.span,
          ),
        );
      return undefined;
    }
    const sub = ctx.gates.get(stmt.name);
    if (!sub || (sub.kind === 'defined' && (!sub.valid || sub.opaque))) {
      if (!sub) undefinedGate(ctx, stmt.name, stmt.nameSpan);
      else if (sub.opaque)
        ctx.report(
          qasmDiagnostic(
            'unsupported_feature',
            `Opaque gate \`${stmt.name}\` has no definition, so it is not supported by this simulator.`,
            stmt.nameSpan,
          ),
        );
      return undefined;
    }
    const mods = resolveModifiers(stmt.modifiers, env);
    const subArgs = evaluateArgs(stmt.args, env);
    if (!mods || !subArgs) return undefined;
    if (!checkCounts(ctx, stmt.name, sub, mods, subArgs.length, stmt.operands.length, stmt.nameSpan, stmt.span))
      return undefined;
    const subQubits: number[] = [];
    for (const o of stmt.operands) {
      const q = qubitIndex.get(o.name);
      if (q === undefined || o.index) {
        ctx.report(
          qasmDiagnostic(
            'invalid_gate_body',
            o.index
              ? `Gate arguments are single qubits; \`${o.name}\` cannot be indexed inside the body of \`${entry.name}\`.`
              : `\`${o.name}\` is not a qubit argument of gate \`${entry.name}\`.`,
            o.span,
          ),
        );
        return undefined;
      }
      if (subQubits.includes(q)) {
        ctx.report(
          qasmDiagnostic(
            'duplicate_qubit',
            `Qubit \`${o.name}\` is used more than once in one \`${stmt.name}\`.`,
            stmt.span,
          ),
        );
        return undefined;
      }
      subQubits.push(q);
    }
    const ops = expand(ctx, sub, subArgs, mods, subQubits, depth, stmt.span, checking);
    if (!ops) return undefined;
    ctx.tick(stmt.span, ops.length);
    out.push(...ops);
  }
  return out;
}

/** A gate op as IR; a (controlled) global phase becomes `gphase` or a phase gate on its last control. */
export function toIR(ctx: LowerContext, op: GateOp): Operation {
  const derivs = (m: ReadonlyMap<string, ComplexMatrix>): { param: string; matrix: ComplexMatrix }[] =>
    ctx.parameters.filter((p) => m.has(p)).map((param) => ({ param, matrix: m.get(param)! }));
  if (op.targets.length > 0) {
    const d = derivs(op.derivatives);
    const base = {
      type: 'unitary' as const,
      targets: op.targets,
      matrix: op.matrix,
      controls: op.controls,
      controlValues: op.controlValues,
      label: op.label,
    };
    return d.length > 0 ? { ...base, derivatives: d } : base;
  }
  const [re, im] = [op.matrix[0]!, op.matrix[1]!];
  if (op.controls.length === 0) return { type: 'gphase', angle: Math.atan2(im, re) };
  const target = op.controls[op.controls.length - 1]!;
  const on = op.controlValues[op.controlValues.length - 1]!;
  const diag = (z: ComplexMatrix, one: boolean): ComplexMatrix =>
    on === 1
      ? Float64Array.of(one ? 1 : 0, 0, 0, 0, 0, 0, z[0]!, z[1]!)
      : Float64Array.of(z[0]!, z[1]!, 0, 0, 0, 0, one ? 1 : 0, 0);
  const d = derivs(op.derivatives).map(({ param, matrix }) => ({ param, matrix: diag(matrix, false) }));
  const base = {
    type: 'unitary' as const,
    targets: [target],
    matrix: diag(op.matrix, true),
    controls: op.controls.slice(0, -1),
    controlValues: op.controlValues.slice(0, -1),
    label: op.label,
  };
  return d.length > 0 ? { ...base, derivatives: d } : base;
}
