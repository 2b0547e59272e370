/**
 * Checks an OpenQASM program and lowers it to the Circuit IR in one walk over its statements. The rules live in
 * lower-declarations.ts, lower-gates.ts and lower-control-flow.ts; this file dispatches statements, handles
 * `include` and assembles the circuit.
 */

import type { Diagnostic, Span } from '../../shared/diagnostic.js';
import { START } from '../../shared/diagnostic.js';
import type { Circuit, Register } from '../circuit.js';
import type { Program, Statement } from './ast.js';
import { qasmDiagnostic } from './codes.js';
import { libraryProgram } from './libraries.js';
import type { RegisterInfo } from './operands.js';
import { BudgetExhausted, LimitExceeded, LowerContext } from './lower-context.js';
import type { LowerOptions } from './lower-context.js';
import { assign, classicalDecl, measure, registerDecl } from './lower-declarations.js';
import { forStatement, ifStatement } from './lower-control-flow.js';
import { defineGate, gateCall } from './lower-gates.js';

export type { LowerOptions } from './lower-context.js';

export interface LowerResult {
  readonly circuit?: Circuit;
  readonly diagnostics: Diagnostic[];
  /** Work units used (gate applications, emitted operations, loop iterations). */
  readonly work: number;
  /** True when lowering stopped at `options.maxWork` before the end of the program (no circuit then). */
  readonly budgetExhausted: boolean;
}

export function lowerProgram(program: Program, options: LowerOptions = {}): LowerResult {
  const ctx = new LowerContext(options);
  ctx.lowerStatement = (stmt) => statement(ctx, stmt);
  ctx.gates.set('U', { kind: 'builtin', name: 'U', params: 3, arity: 1 });
  ctx.gates.set('gphase', { kind: 'builtin', name: 'gphase', params: 1, arity: 0 });
  // OpenQASM 2 has CX built in; defining it from U keeps one source of truth for its matrix.
  for (const stmt of libraryProgram('builtin').statements) if (stmt.kind === 'gate_def') defineGate(ctx, stmt, true);
  return run(ctx, program);
}

function run(ctx: LowerContext, program: Program): LowerResult {
  const v = program.version;
  if (v !== undefined) {
    ctx.qasm2 = v.startsWith('2');
    if (!/^(?:2(?:\.0)?|3(?:\.[0-9]+)?)$/.test(v)) {
      const first = program.statements[0];
      ctx.report(
        qasmDiagnostic(
          'unsupported_version',
          `OpenQASM version ${v} is not supported; use \`OPENQASM 2.0;\` or \`OPENQASM 3.0;\`.`,
          first?.span ?? START,
        ),
      );
    }
  }
  try {
    for (const stmt of program.statements) statement(ctx, stmt);
  } catch (error) {
    if (error instanceof BudgetExhausted)
      return { diagnostics: ctx.diagnostics, work: ctx.work, budgetExhausted: true };
    if (!(error instanceof LimitExceeded)) throw error;
    ctx.report(error.diagnostic);
  }
  for (const name of Object.keys(ctx.options.bindings ?? {})) {
    if (!ctx.inputs.has(name)) {
      ctx.report(
        qasmDiagnostic(
          'unused_binding',
          `A value was bound for \`${name}\`, but the program declares no such \`input\`.`,
          START,
          'warning',
        ),
      );
    }
  }
  if (ctx.diagnostics.some((d) => d.severity === 'error'))
    return { diagnostics: ctx.diagnostics, work: ctx.work, budgetExhausted: false };
  const registers = (m: Map<string, RegisterInfo>): Register[] =>
    [...m.values()].map((r) => ({ name: r.name, start: r.start, size: r.size }));
  const circuit: Circuit = {
    numQubits: ctx.numQubits,
    numClbits: ctx.numClbits,
    qubitRegisters: registers(ctx.qubitRegs),
    clbitRegisters: registers(ctx.bitRegs),
    ops: ctx.out,
    parameters: ctx.parameters,
  };
  return { circuit, diagnostics: ctx.diagnostics, work: ctx.work, budgetExhausted: false };
}

function statement(ctx: LowerContext, stmt: Statement): void {
  switch (stmt.kind) {
    case 'version':
      return;
    case 'include':
      return include(ctx, stmt.path, stmt.span);
    case 'qubit_decl':
    case 'bit_decl':
      return registerDecl(ctx, stmt);
    case 'classical_decl':
      return classicalDecl(ctx, stmt);
    case 'gate_def':
      if (ctx.requireGlobal('A gate definition', stmt.span)) defineGate(ctx, stmt, false);
      return;
    case 'gate_call':
      return gateCall(ctx, stmt);
    case 'measure':
      if (!stmt.target) {
        ctx.report(
          qasmDiagnostic(
            'unsupported_feature',
            '`measure` without a destination bit is not supported by this simulator; write `measure q -> c;` or `c = measure q;`.',
            stmt.span,
          ),
        );
        return;
      }
      return measure(ctx, stmt.operand, stmt.target, stmt.span);
    case 'reset': {
      const q = ctx.resolve(stmt.operand, 'qubit');
      if (q) for (const qubit of q.indices) ctx.emit({ type: 'reset', qubit }, stmt.span);
      return;
    }
    case 'barrier': {
      const qubits: number[] = [];
      for (const o of stmt.operands) {
        const r = ctx.resolve(o, 'qubit');
        if (r) qubits.push(...r.indices);
      }
      if (stmt.operands.length === 0) for (let i = 0; i < ctx.numQubits; i++) qubits.push(i);
      ctx.emit({ type: 'barrier', qubits: [...new Set(qubits)] }, stmt.span);
      return;
    }
    case 'if':
      return ifStatement(ctx, stmt);
    case 'for':
      return forStatement(ctx, stmt);
    case 'assign':
      return assign(ctx, stmt);
    case 'unsupported':
      ctx.report(
        qasmDiagnostic(
          'unsupported_feature',
          `${stmt.feature} ${/s$/.test(stmt.feature) && !stmt.feature.endsWith('`') ? 'are' : 'is'} not supported by this simulator.`,
          stmt.span,
        ),
      );
      return;
  }
}

function include(ctx: LowerContext, path: string, span: Span): void {
  if (!ctx.requireGlobal('`include`', span)) return;
  if (path !== 'qelib1.inc' && path !== 'stdgates.inc') {
    ctx.report(
      qasmDiagnostic(
        'include_not_found',
        `Cannot include "${path}": only "qelib1.inc" and "stdgates.inc" are available; paste the file's gates into the program instead.`,
        span,
      ),
    );
    return;
  }
  if (ctx.includes.has(path)) return;
  ctx.includes.add(path);
  for (const stmt of libraryProgram(path).statements) {
    // the two libraries share many names; the first definition of a name wins
    if (stmt.kind === 'gate_def' && !ctx.gates.has(stmt.name)) defineGate(ctx, stmt, true);
  }
}
