/**
 * Checks an OpenQASM program and lowers it to the Circuit IR in one walk: declarations, gate definitions, gate
 * calls (with modifiers and register broadcasting), measurement, reset, barrier, `if` and unrolled `for`.
 *
 * A gate call becomes one dense `UnitaryOp` when its gate is built in or defined on few qubits (limits.ts): the
 * matrix is computed from the gate body (gate-op.ts), so library gates mean exactly what their published
 * definitions say. Wider user gates are inlined. `inv` is the conjugate transpose, `pow` an exact integer power or
 * a principal-branch real power, `ctrl`/`negctrl` become IR controls.
 */
/* eslint-disable @typescript-eslint/no-non-null-assertion -- indices here are in range by construction (loop bounds,
   matrix dimensions, checked lookups); noUncheckedIndexedAccess would otherwise make every array read optional. */
import type { Diagnostic, Span } from '../../shared/diagnostic.js';
import { START } from '../../shared/diagnostic.js';
import type { Circuit, ComplexMatrix, Operation, Register } from '../circuit.js';
import type { Expr, Modifier, Operand, Program, Statement } from './ast.js';
import { qasmDiagnostic } from './codes.js';
import { analyzeCondition } from './conditions.js';
import type { BitResolver } from './conditions.js';
import { evaluate } from './expressions.js';
import type { ExprEnv, Lookup } from './expressions.js';
import { UnitaryBuilder, globalPhase, inverse, invertOps, power, snap, uGate } from './gate-op.js';
import type { GateOp, Unitary } from './gate-op.js';
import { libraryProgram } from './libraries.js';
import { MAX_GATE_DEPTH, MAX_LIBRARY_MATRIX_QUBITS, MAX_MATRIX_QUBITS, MAX_QUBITS, MAX_WORK } from './limits.js';
import { resolveOperand } from './operands.js';
import type { RegisterInfo, ResolvedOperand } from './operands.js';
import { QELIB1_NAMES } from './qelib1.js';
import { STDGATES_NAMES } from './stdgates.js';
import { hasDerivatives, num } from './value.js';
import type { Value } from './value.js';

export interface LowerOptions {
  /** Values of the program's `input` declarations. */
  readonly bindings?: Readonly<Record<string, number>>;
}

type GateEntry =
  | { readonly kind: 'builtin'; readonly name: 'U' | 'gphase'; readonly params: number; readonly arity: number }
  | {
      readonly kind: 'defined';
      readonly name: string;
      readonly paramNames: readonly string[];
      readonly qubitNames: readonly string[];
      readonly params: number;
      readonly arity: number;
      readonly body: readonly Statement[];
      readonly library: boolean;
      readonly opaque: boolean;
      valid: boolean;
    };

type ResolvedModifier =
  | { readonly kind: 'ctrl' | 'negctrl'; readonly count: number }
  | { readonly kind: 'inv' }
  | { readonly kind: 'pow'; readonly exponent: Value; readonly span: Span };

interface Variable {
  value: Value;
  readonly isConst: boolean;
  readonly type: 'int' | 'float' | 'bool';
  /** Runtime-`if` depth at declaration; assigning from deeper would need run-time classical state. */
  readonly depth: number;
}

class LimitExceeded {
  constructor(readonly diagnostic: Diagnostic) {}
}

function nameOfType(t: string): 'int' | 'float' | 'bool' | undefined {
  if (t === 'int' || t === 'uint') return 'int';
  if (t === 'float' || t === 'angle') return 'float';
  if (t === 'bool') return 'bool';
  return undefined;
}

function coerce(v: Value, type: 'int' | 'float' | 'bool'): Value {
  if (type === 'int') return num(Math.trunc(v.v), 'int');
  if (type === 'bool') return num(v.v !== 0 ? 1 : 0, 'bool');
  return v.d ? num(v.v, 'float', v.d) : num(v.v, 'float');
}

export interface LowerResult {
  readonly circuit?: Circuit;
  readonly diagnostics: Diagnostic[];
}

export function lowerProgram(program: Program, options: LowerOptions = {}): LowerResult {
  return new Lowerer(options).run(program);
}

class Lowerer {
  private readonly diagnostics: Diagnostic[] = [];
  private readonly qubitRegs = new Map<string, RegisterInfo>();
  private readonly bitRegs = new Map<string, RegisterInfo>();
  private numQubits = 0;
  private numClbits = 0;
  private readonly scopes: Map<string, Variable>[] = [new Map()];
  private readonly gates = new Map<string, GateEntry>();
  private readonly parameters: string[] = [];
  private readonly inputs = new Set<string>();
  private readonly includes = new Set<string>();
  private runtimeDepth = 0;
  private blockDepth = 0;
  private work = 0;
  private readonly cache = new Map<string, Unitary>();
  private out: Operation[] = [];
  private qasm2 = false;

  constructor(private readonly options: LowerOptions) {
    this.gates.set('U', { kind: 'builtin', name: 'U', params: 3, arity: 1 });
    this.gates.set('gphase', { kind: 'builtin', name: 'gphase', params: 1, arity: 0 });
    // OpenQASM 2 has CX built in; defining it from U keeps one source of truth for its matrix.
    for (const stmt of libraryProgram('builtin').statements) if (stmt.kind === 'gate_def') this.defineGate(stmt, true);
  }

  run(program: Program): LowerResult {
    const v = program.version;
    if (v !== undefined) {
      this.qasm2 = v.startsWith('2');
      if (!/^(?:2(?:\.0)?|3(?:\.[0-9]+)?)$/.test(v)) {
        const first = program.statements[0];
        this.report(
          qasmDiagnostic(
            'unsupported_version',
            `OpenQASM version ${v} is not supported; use \`OPENQASM 2.0;\` or \`OPENQASM 3.0;\`.`,
            first?.span ?? START,
          ),
        );
      }
    }
    try {
      for (const stmt of program.statements) this.statement(stmt);
    } catch (error) {
      if (!(error instanceof LimitExceeded)) throw error;
      this.report(error.diagnostic);
    }
    for (const name of Object.keys(this.options.bindings ?? {})) {
      if (!this.inputs.has(name)) {
        this.report(
          qasmDiagnostic(
            'unused_binding',
            `A value was bound for \`${name}\`, but the program declares no such \`input\`.`,
            START,
            'warning',
          ),
        );
      }
    }
    if (this.diagnostics.some((d) => d.severity === 'error')) return { diagnostics: this.diagnostics };
    const registers = (m: Map<string, RegisterInfo>): Register[] =>
      [...m.values()].map((r) => ({ name: r.name, start: r.start, size: r.size }));
    const circuit: Circuit = {
      numQubits: this.numQubits,
      numClbits: this.numClbits,
      qubitRegisters: registers(this.qubitRegs),
      clbitRegisters: registers(this.bitRegs),
      ops: this.out,
      parameters: this.parameters,
    };
    return { circuit, diagnostics: this.diagnostics };
  }

  // --- infrastructure ---

  private report(d: Diagnostic): void {
    this.diagnostics.push(d);
  }

  private errorCount(): number {
    return this.diagnostics.filter((d) => d.severity === 'error').length;
  }

  private tick(span: Span, amount = 1): void {
    this.work += amount;
    if (this.work > MAX_WORK) {
      throw new LimitExceeded(
        qasmDiagnostic(
          'unroll_limit',
          `The program expands to more than ${MAX_WORK} operations (loops unrolled, gates expanded); reduce loop counts or gate nesting.`,
          span,
        ),
      );
    }
  }

  private lookupVariable(name: string): Variable | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const v = this.scopes[i]!.get(name);
      if (v) return v;
    }
    return undefined;
  }

  private readonly env: ExprEnv = {
    lookup: (name: string): Lookup => {
      const v = this.lookupVariable(name);
      if (v) return { kind: 'value', value: v.value };
      if (this.qubitRegs.has(name)) return { kind: 'register', what: 'qubit' };
      if (this.bitRegs.has(name)) return { kind: 'register', what: 'bit' };
      return undefined;
    },
    report: (d) => this.report(d),
  };

  private readonly bitResolver: BitResolver = {
    isBitRegister: (name) => this.bitRegs.has(name) && !this.lookupVariable(name),
    bits: (operand) => this.resolve(operand, 'bit')?.indices,
  };

  private resolve(operand: Operand, kind: 'qubit' | 'bit'): ResolvedOperand | undefined {
    const [mine, other] = kind === 'qubit' ? [this.qubitRegs, this.bitRegs] : [this.bitRegs, this.qubitRegs];
    return resolveOperand(operand, mine, kind, this.env, other);
  }

  private qubitName(index: number): string {
    for (const r of this.qubitRegs.values()) {
      if (index >= r.start && index < r.start + r.size) return r.single ? r.name : `${r.name}[${index - r.start}]`;
    }
    return `qubit ${index}`;
  }

  private isDeclared(name: string): boolean {
    return this.qubitRegs.has(name) || this.bitRegs.has(name) || this.scopes[this.scopes.length - 1]!.has(name);
  }

  private checkNewName(name: string, span: Span): boolean {
    if (this.isDeclared(name)) {
      this.report(qasmDiagnostic('duplicate_declaration', `\`${name}\` is already declared.`, span));
      return false;
    }
    return true;
  }

  private requireGlobal(what: string, span: Span): boolean {
    if (this.blockDepth === 0) return true;
    this.report(
      qasmDiagnostic(
        'unsupported_feature',
        `${what} inside a block is not supported by this simulator; move it to the top level.`,
        span,
      ),
    );
    return false;
  }

  private withScope(body: () => void): void {
    this.scopes.push(new Map());
    this.blockDepth++;
    try {
      body();
    } finally {
      this.blockDepth--;
      this.scopes.pop();
    }
  }

  private emit(op: Operation, span: Span): void {
    this.tick(span);
    this.out.push(op);
  }

  // --- statements ---

  private statement(stmt: Statement): void {
    switch (stmt.kind) {
      case 'version':
        return;
      case 'include':
        return this.include(stmt.path, stmt.span);
      case 'qubit_decl':
      case 'bit_decl':
        return this.registerDecl(stmt);
      case 'classical_decl':
        return this.classicalDecl(stmt);
      case 'gate_def':
        if (this.requireGlobal('A gate definition', stmt.span)) this.defineGate(stmt, false);
        return;
      case 'gate_call':
        return this.gateCall(stmt);
      case 'measure':
        if (!stmt.target) {
          this.report(
            qasmDiagnostic(
              'unsupported_feature',
              '`measure` without a destination bit is not supported by this simulator; write `measure q -> c;` or `c = measure q;`.',
              stmt.span,
            ),
          );
          return;
        }
        return this.measure(stmt.operand, stmt.target, stmt.span);
      case 'reset': {
        const q = this.resolve(stmt.operand, 'qubit');
        if (q) for (const qubit of q.indices) this.emit({ type: 'reset', qubit }, stmt.span);
        return;
      }
      case 'barrier': {
        const qubits: number[] = [];
        for (const o of stmt.operands) {
          const r = this.resolve(o, 'qubit');
          if (r) qubits.push(...r.indices);
        }
        if (stmt.operands.length === 0) for (let i = 0; i < this.numQubits; i++) qubits.push(i);
        this.emit({ type: 'barrier', qubits: [...new Set(qubits)] }, stmt.span);
        return;
      }
      case 'if':
        return this.ifStatement(stmt);
      case 'for':
        return this.forStatement(stmt);
      case 'assign':
        return this.assign(stmt);
      case 'unsupported':
        this.report(
          qasmDiagnostic(
            'unsupported_feature',
            `${stmt.feature} ${/s$/.test(stmt.feature) && !stmt.feature.endsWith('`') ? 'are' : 'is'} not supported by this simulator.`,
            stmt.span,
          ),
        );
        return;
    }
  }

  private include(path: string, span: Span): void {
    if (!this.requireGlobal('`include`', span)) return;
    if (path !== 'qelib1.inc' && path !== 'stdgates.inc') {
      this.report(
        qasmDiagnostic(
          'include_not_found',
          `Cannot include "${path}": only "qelib1.inc" and "stdgates.inc" are available; paste the file's gates into the program instead.`,
          span,
        ),
      );
      return;
    }
    if (this.includes.has(path)) return;
    this.includes.add(path);
    for (const stmt of libraryProgram(path).statements) {
      // the two libraries share many names; the first definition of a name wins
      if (stmt.kind === 'gate_def' && !this.gates.has(stmt.name)) this.defineGate(stmt, true);
    }
  }

  private registerDecl(stmt: Extract<Statement, { kind: 'qubit_decl' | 'bit_decl' }>): void {
    const isQubit = stmt.kind === 'qubit_decl';
    if (!this.requireGlobal(isQubit ? 'Declaring qubits' : 'Declaring bits', stmt.span)) return;
    if (!this.checkNewName(stmt.name, stmt.nameSpan)) return;
    let size = 1;
    if (stmt.size) {
      const v = evaluate(stmt.size, this.env);
      if (!v) return;
      if (!Number.isInteger(v.v) || v.v < 1) {
        this.report(
          qasmDiagnostic(
            'invalid_register_size',
            `A register size must be a positive integer, not ${v.v}.`,
            stmt.size.span,
          ),
        );
        return;
      }
      size = v.v;
    }
    const total = (isQubit ? this.numQubits : this.numClbits) + size;
    if (total > MAX_QUBITS) {
      this.report(
        qasmDiagnostic(
          'too_many_qubits',
          `This declaration brings the program to ${total} ${isQubit ? 'qubits' : 'bits'}; at most ${MAX_QUBITS} are supported.`,
          stmt.span,
        ),
      );
      return;
    }
    const info: RegisterInfo = {
      name: stmt.name,
      start: isQubit ? this.numQubits : this.numClbits,
      size,
      single: !stmt.size && stmt.style !== 'qreg' && stmt.style !== 'creg',
      span: stmt.nameSpan,
    };
    if (isQubit) {
      this.qubitRegs.set(stmt.name, info);
      this.numQubits += size;
    } else {
      this.bitRegs.set(stmt.name, info);
      this.numClbits += size;
      if (stmt.init) {
        if (stmt.init.kind === 'measure')
          this.measure(stmt.init.operand, { name: stmt.name, span: stmt.nameSpan }, stmt.span);
        else
          this.report(
            qasmDiagnostic(
              'unsupported_feature',
              'Initialising bits with a value is not supported by this simulator; bits are written by `measure`.',
              stmt.init.span,
            ),
          );
      }
    }
  }

  private classicalDecl(stmt: Extract<Statement, { kind: 'classical_decl' }>): void {
    const type = nameOfType(stmt.type.name);
    if (!type) {
      this.report(
        qasmDiagnostic(
          'unsupported_feature',
          `\`${stmt.type.name}\` variables are not supported by this simulator.`,
          stmt.type.span,
        ),
      );
      return;
    }
    if (!this.checkNewName(stmt.name, stmt.nameSpan)) return;
    let value: Value = num(0, type);
    if (stmt.modifier === 'input') {
      if (!this.requireGlobal('An `input` declaration', stmt.span)) return;
      this.inputs.add(stmt.name);
      const bound = this.options.bindings?.[stmt.name];
      if (bound === undefined || typeof bound !== 'number' || !Number.isFinite(bound)) {
        this.report(
          qasmDiagnostic(
            'missing_input_binding',
            `Input \`${stmt.name}\` has no value; bind it (CLI: \`--input ${stmt.name}=<number>\`).`,
            stmt.nameSpan,
          ),
        );
      } else if (type === 'float') {
        value = num(bound, 'float', { [stmt.name]: 1 });
        this.parameters.push(stmt.name);
      } else if (type === 'int' && !Number.isInteger(bound)) {
        this.report(
          qasmDiagnostic(
            'type_error',
            `Input \`${stmt.name}\` is an integer, but it was bound to ${bound}.`,
            stmt.nameSpan,
          ),
        );
      } else {
        value = coerce(num(bound, type), type);
      }
    } else if (stmt.init) {
      if (stmt.init.kind === 'measure') {
        this.report(qasmDiagnostic('type_error', '`measure` results can only be stored in bits.', stmt.init.span));
        return;
      }
      const v = evaluate(stmt.init, this.env);
      if (!v) return;
      value = coerce(v, type);
    } else if (stmt.modifier === 'const') {
      this.report(
        qasmDiagnostic(
          'syntax_error',
          `Constant \`${stmt.name}\` needs a value (\`const ${stmt.type.name} ${stmt.name} = …;\`).`,
          stmt.span,
        ),
      );
      return;
    }
    this.scopes[this.scopes.length - 1]!.set(stmt.name, {
      value,
      isConst: stmt.modifier === 'const' || stmt.modifier === 'input',
      type,
      depth: this.runtimeDepth,
    });
  }

  private assign(stmt: Extract<Statement, { kind: 'assign' }>): void {
    if (stmt.value.kind === 'measure') {
      if (stmt.op !== '=') {
        this.report(
          qasmDiagnostic('syntax_error', `Expected \`=\` before \`measure\` but found \`${stmt.op}\`.`, stmt.span),
        );
        return;
      }
      this.measure(stmt.value.operand, stmt.target, stmt.span);
      return;
    }
    if (this.bitRegs.has(stmt.target.name) && !this.lookupVariable(stmt.target.name)) {
      this.report(
        qasmDiagnostic(
          'unsupported_feature',
          'Assigning values to bits is not supported by this simulator; bits are written by `measure`.',
          stmt.span,
        ),
      );
      return;
    }
    const variable = this.lookupVariable(stmt.target.name);
    if (!variable) {
      this.report(
        qasmDiagnostic('undeclared_identifier', `\`${stmt.target.name}\` is not declared.`, stmt.target.span),
      );
      return;
    }
    if (stmt.target.index) {
      this.report(
        qasmDiagnostic(
          'unsupported_feature',
          'Assigning to bits of an integer is not supported by this simulator.',
          stmt.span,
        ),
      );
      return;
    }
    if (variable.isConst) {
      this.report(
        qasmDiagnostic(
          'type_error',
          `\`${stmt.target.name}\` is a constant or loop variable and cannot be assigned.`,
          stmt.target.span,
        ),
      );
      return;
    }
    if (this.runtimeDepth > variable.depth) {
      this.report(
        qasmDiagnostic(
          'unsupported_feature',
          'Changing a classical variable inside an `if` on measured bits is not supported by this simulator.',
          stmt.span,
        ),
      );
      return;
    }
    const rhs: Expr =
      stmt.op === '='
        ? stmt.value
        : {
            kind: 'binary',
            op: stmt.op === '**=' ? '**' : stmt.op.slice(0, -1),
            left: { kind: 'ident', name: stmt.target.name, span: stmt.target.span },
            right: stmt.value,
            span: stmt.span,
          };
    const v = evaluate(rhs, this.env);
    if (v) variable.value = coerce(v, variable.type);
  }

  private measure(qOperand: Operand, bOperand: Operand, span: Span): void {
    const q = this.resolve(qOperand, 'qubit');
    const b = this.resolve(bOperand, 'bit');
    if (!q || !b) return;
    if (q.indices.length !== b.indices.length) {
      this.report(
        qasmDiagnostic(
          'register_size_mismatch',
          `Cannot measure ${q.indices.length} qubit${q.indices.length === 1 ? '' : 's'} into ${b.indices.length} bit${b.indices.length === 1 ? '' : 's'}; the sizes must match.`,
          span,
        ),
      );
      return;
    }
    q.indices.forEach((qubit, i) => this.emit({ type: 'measure', qubit, clbit: b.indices[i]! }, span));
  }

  private lowerBlock(body: readonly Statement[]): void {
    this.withScope(() => {
      for (const s of body) this.statement(s);
    });
  }

  private ifStatement(stmt: Extract<Statement, { kind: 'if' }>): void {
    const result = analyzeCondition(stmt.condition, this.env, this.bitResolver);
    if (!result) return;
    if (result.kind === 'static') {
      const chosen = result.value ? stmt.then : stmt.else;
      if (chosen) this.lowerBlock(chosen);
      return;
    }
    const saved = this.out;
    this.runtimeDepth++;
    try {
      this.out = [];
      this.lowerBlock(stmt.then);
      const then = this.out;
      this.out = [];
      if (stmt.else) this.lowerBlock(stmt.else);
      const otherwise = this.out;
      this.out = saved;
      this.emit({ type: 'if', condition: result.condition, then, else: otherwise }, stmt.span);
    } finally {
      this.out = saved;
      this.runtimeDepth--;
    }
  }

  private forStatement(stmt: Extract<Statement, { kind: 'for' }>): void {
    const it = stmt.iterable;
    let values: number[] | undefined;
    let type: 'int' | 'float' = 'int';
    if (stmt.varType) {
      const t = nameOfType(stmt.varType.name);
      if (t === 'float') type = 'float';
    }
    const int = (e: Expr): number | undefined => {
      const v = evaluate(e, this.env);
      if (!v) return undefined;
      if (!Number.isInteger(v.v)) {
        this.report(qasmDiagnostic('invalid_loop', `Range bounds must be integers, not ${v.v}.`, e.span));
        return undefined;
      }
      return v.v;
    };
    if (it.kind === 'range') {
      if (!it.start || !it.end) {
        this.report(qasmDiagnostic('invalid_loop', 'A loop range needs a start and an end, as in `[0:3]`.', it.span));
        return;
      }
      const start = int(it.start);
      const end = int(it.end);
      const step = it.step ? int(it.step) : 1;
      if (start === undefined || end === undefined || step === undefined) return;
      if (step === 0) {
        this.report(qasmDiagnostic('invalid_loop', 'A loop step cannot be 0.', it.span));
        return;
      }
      const count = Math.max(0, Math.floor((end - start) / step) + 1);
      if (count > MAX_WORK) {
        this.report(
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
        const v = evaluate(e, this.env);
        if (!v) return;
        if (v.type === 'float') type = 'float';
        values.push(v.v);
      }
    } else if (it.kind === 'single') {
      this.report(
        qasmDiagnostic('invalid_loop', 'Loop over a range such as `[0:3]` or a set such as `{0, 2}`.', it.span),
      );
      return;
    } else {
      const e = it.expr;
      const name = e.kind === 'ident' ? e.name : undefined;
      this.report(
        name !== undefined && (this.qubitRegs.has(name) || this.bitRegs.has(name))
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
      this.tick(stmt.span);
      this.withScope(() => {
        this.scopes[this.scopes.length - 1]!.set(stmt.variable, {
          value: num(value, type),
          isConst: true,
          type,
          depth: this.runtimeDepth,
        });
        for (const s of stmt.body) this.statement(s);
      });
    }
  }

  // --- gates ---

  private defineGate(stmt: Extract<Statement, { kind: 'gate_def' }>, library: boolean): void {
    if (this.gates.has(stmt.name)) {
      const builtin = this.gates.get(stmt.name)?.kind === 'builtin';
      this.report(
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
        this.report(
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
      const before = this.errorCount();
      const placeholders = stmt.params.map((_, i) => num(0.37 + 0.11 * i, 'float'));
      this.inlineBody(
        entry,
        placeholders,
        stmt.qubits.map((_, i) => i),
        1,
        true,
      );
      entry.valid = this.errorCount() === before;
    }
    this.gates.set(stmt.name, entry);
  }

  private undefinedGate(name: string, span: Span): void {
    let hint = '';
    if (!this.includes.has('stdgates.inc') && !this.includes.has('qelib1.inc')) {
      if (this.qasm2 && QELIB1_NAMES.includes(name)) hint = ' Add `include "qelib1.inc";` after the OPENQASM line.';
      else if (STDGATES_NAMES.includes(name)) hint = ' Add `include "stdgates.inc";` after the OPENQASM line.';
      else if (QELIB1_NAMES.includes(name)) hint = ' It is defined in "qelib1.inc"; include it.';
    } else if (!this.includes.has('qelib1.inc') && QELIB1_NAMES.includes(name)) {
      hint = ' It is defined in "qelib1.inc"; include it.';
    }
    this.report(qasmDiagnostic('undefined_gate', `Gate \`${name}\` is not defined.${hint}`, span));
  }

  private resolveModifiers(modifiers: readonly Modifier[], env: ExprEnv): ResolvedModifier[] | undefined {
    const out: ResolvedModifier[] = [];
    for (const m of modifiers) {
      if (m.kind === 'inv') out.push({ kind: 'inv' });
      else if (m.kind === 'pow') {
        const e = evaluate(m.exponent, env);
        if (!e) return undefined;
        if (!Number.isFinite(e.v)) {
          env.report(
            qasmDiagnostic('invalid_modifier', 'The `pow` exponent must be a finite number.', m.exponent.span),
          );
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

  private gateCall(stmt: Extract<Statement, { kind: 'gate_call' }>): void {
    const entry = this.gates.get(stmt.name);
    if (!entry) return this.undefinedGate(stmt.name, stmt.nameSpan);
    if (entry.kind === 'defined' && entry.opaque) {
      this.report(
        qasmDiagnostic(
          'unsupported_feature',
          `Opaque gate \`${stmt.name}\` has no definition, so it is not supported by this simulator.`,
          stmt.nameSpan,
        ),
      );
      return;
    }
    const mods = this.resolveModifiers(stmt.modifiers, this.env);
    const args = this.evaluateArgs(stmt.args, this.env);
    if (!mods || !args) return;
    if (!this.checkCounts(stmt.name, entry, mods, args.length, stmt.operands.length, stmt.nameSpan, stmt.span)) return;
    const resolved: ResolvedOperand[] = [];
    for (const o of stmt.operands) {
      const r = this.resolve(o, 'qubit');
      if (!r) return;
      resolved.push(r);
    }
    let width: number | undefined;
    for (const [i, r] of resolved.entries()) {
      if (r.single) continue;
      if (width === undefined) width = r.indices.length;
      else if (r.indices.length !== width) {
        this.report(
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
        this.report(
          qasmDiagnostic(
            'duplicate_qubit',
            `Qubit ${this.qubitName(dup)} is used more than once in one \`${stmt.name}\`.`,
            stmt.span,
          ),
        );
        return;
      }
      const ops = this.expand(entry, args, mods, qubits, 0, stmt.span, false);
      if (!ops) return;
      for (const op of ops) this.emit(this.toIR(op), stmt.span);
    }
  }

  private evaluateArgs(exprs: readonly Expr[], env: ExprEnv): Value[] | undefined {
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

  private checkCounts(
    name: string,
    entry: GateEntry,
    mods: readonly ResolvedModifier[],
    nArgs: number,
    nQubits: number,
    nameSpan: Span,
    span: Span,
  ): boolean {
    if (nArgs !== entry.params) {
      this.report(
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
      this.report(qasmDiagnostic('wrong_qubit_count', `\`${name}\` acts on ${need} but was given ${nQubits}.`, span));
      return false;
    }
    return true;
  }

  private matrixable(entry: GateEntry): boolean {
    return entry.kind === 'builtin' || entry.arity <= (entry.library ? MAX_LIBRARY_MATRIX_QUBITS : MAX_MATRIX_QUBITS);
  }

  /** The ops of one gate application on concrete qubits (controls first), or undefined after a diagnostic. */
  private expand(
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
    if (entry.kind === 'builtin' || this.matrixable(entry)) {
      // A gate whose body is one call (`cx a, b { ctrl @ x a, b; }`, `p(λ) a { ctrl @ gphase(λ) a; }`) lowers to
      // that call's op under its own name, so the controls it declares stay IR controls instead of being folded
      // into a dense matrix.
      let core: GateOp | undefined;
      if (entry.kind === 'defined' && entry.body.filter((b) => b.kind !== 'barrier').length === 1) {
        const inner = this.inlineBody(entry, args, targets, depth + 1, checking);
        if (!inner) return undefined;
        if (inner.length === 1) core = inner[0];
      }
      if (!core) {
        const full = this.unitaryOf(entry, args, depth, span, checking);
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
            this.report(
              qasmDiagnostic(
                'power_not_computable',
                `pow(${m.exponent.v}) of \`${entry.name}\` could not be computed.`,
                m.span,
              ),
            );
            return undefined;
          }
          if (p.derivativesDropped || m.exponent.d) this.derivativeWarning(entry.name, m.span);
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
    let ops = this.inlineBody(entry, args, targets, depth + 1, checking);
    if (!ops) return undefined;
    for (let i = mods.length - 1; i >= 0; i--) {
      const m = mods[i]!;
      if (m.kind === 'inv') ops = invertOps(ops);
      else if (m.kind === 'pow') {
        const k = m.exponent.v;
        if (!Number.isInteger(k)) {
          this.report(
            qasmDiagnostic(
              'power_not_computable',
              `\`pow(${k}) @ ${entry.name}\` is not supported by this simulator: \`${entry.name}\` acts on ${entry.arity} qubits, more than the ${MAX_MATRIX_QUBITS} for which a matrix is built; use an integer power.`,
              m.span,
            ),
          );
          return undefined;
        }
        const base: GateOp[] = k < 0 ? invertOps(ops) : ops;
        this.tick(span, base.length * Math.abs(k));
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

  private derivativeWarning(name: string, span: Span): void {
    this.report(
      qasmDiagnostic(
        'derivative_unavailable',
        `No derivative is recorded for this \`${name}\`: a non-integer or parameter-dependent \`pow\` exponent has no exact rule here, so gradients through it are missing.`,
        span,
        'warning',
      ),
    );
  }

  private unitaryOf(
    entry: GateEntry,
    args: readonly Value[],
    depth: number,
    span: Span,
    checking: boolean,
  ): Unitary | undefined {
    if (entry.kind === 'builtin')
      return entry.name === 'U' ? uGate(args[0]!, args[1]!, args[2]!) : globalPhase(args[0]!);
    const cacheable = !hasDerivatives(args);
    const key = `${entry.name}(${args.map((a) => a.v).join(',')})`;
    if (cacheable) {
      const hit = this.cache.get(key);
      if (hit) return hit;
    }
    const local = Array.from({ length: entry.arity }, (_, i) => i);
    const ops = this.inlineBody(entry, args, local, depth + 1, checking);
    if (!ops) return undefined;
    const builder = new UnitaryBuilder(entry.arity);
    for (const op of ops) {
      this.tick(span);
      builder.apply(op);
    }
    const u = builder.result();
    if (cacheable) this.cache.set(key, u);
    return u;
  }

  /** The body of a defined gate as ops on `qubits` (the gate's qubit arguments in order). */
  private inlineBody(
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
        const global = this.scopes[0]!.get(name);
        if (global?.isConst) return { kind: 'value', value: global.value };
        return undefined;
      },
      report: (d) => this.report(d),
    };
    const out: GateOp[] = [];
    for (const stmt of entry.body) {
      if (stmt.kind === 'barrier') continue;
      if (stmt.kind !== 'gate_call') {
        if (checking)
          this.report(
            qasmDiagnostic(
              'invalid_gate_body',
              `A gate body may contain only gate calls, \`gphase\` and \`barrier\`; this ${stmt.kind === 'unsupported' ? 'statement' : `\`${stmt.kind.replace(/_.*/, '')}\``} is not allowed in \`${entry.name}\`.`,
              stmt.span,
            ),
          );
        return undefined;
      }
      const sub = this.gates.get(stmt.name);
      if (!sub || (sub.kind === 'defined' && (!sub.valid || sub.opaque))) {
        if (!sub) this.undefinedGate(stmt.name, stmt.nameSpan);
        else if (sub.opaque)
          this.report(
            qasmDiagnostic(
              'unsupported_feature',
              `Opaque gate \`${stmt.name}\` has no definition, so it is not supported by this simulator.`,
              stmt.nameSpan,
            ),
          );
        return undefined;
      }
      const mods = this.resolveModifiers(stmt.modifiers, env);
      const subArgs = this.evaluateArgs(stmt.args, env);
      if (!mods || !subArgs) return undefined;
      if (!this.checkCounts(stmt.name, sub, mods, subArgs.length, stmt.operands.length, stmt.nameSpan, stmt.span))
        return undefined;
      const subQubits: number[] = [];
      for (const o of stmt.operands) {
        const q = qubitIndex.get(o.name);
        if (q === undefined || o.index) {
          this.report(
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
          this.report(
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
      const ops = this.expand(sub, subArgs, mods, subQubits, depth, stmt.span, checking);
      if (!ops) return undefined;
      this.tick(stmt.span, ops.length);
      out.push(...ops);
    }
    return out;
  }

  /** A gate op as IR; a (controlled) global phase becomes `gphase` or a phase gate on its last control. */
  private toIR(op: GateOp): Operation {
    const derivs = (m: ReadonlyMap<string, ComplexMatrix>): { param: string; matrix: ComplexMatrix }[] =>
      this.parameters.filter((p) => m.has(p)).map((param) => ({ param, matrix: m.get(param)! }));
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
}
