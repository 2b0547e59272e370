/**
 * The state of one lowering run (registers, scopes, gate table, output) and the helpers every lowering rule uses:
 * reporting, the work budget, name lookup and operand resolution. The rules themselves live in lower-*.ts.
 */
/* eslint-disable @typescript-eslint/no-non-null-assertion -- indices here are in range by construction (loop bounds,
   matrix dimensions, checked lookups); noUncheckedIndexedAccess would otherwise make every array read optional. */
import type { Diagnostic, Span } from '../../shared/diagnostic.js';
import type { Operation } from '../circuit.js';
import type { Operand, Statement } from './ast.js';
import { qasmDiagnostic } from './codes.js';
import type { BitResolver } from './conditions.js';
import type { ExprEnv, Lookup } from './expressions.js';
import type { Unitary } from './gate-op.js';
import { MAX_WORK } from './limits.js';
import { resolveOperand } from './operands.js';
import type { RegisterInfo, ResolvedOperand } from './operands.js';
import { num } from './value.js';
import type { Value } from './value.js';

export interface LowerOptions {
  /** Values of the program's `input` declarations. */
  readonly bindings?: Readonly<Record<string, number>>;
  /**
   * Work units to stop at (default MAX_WORK). A smaller budget makes lowering a bounded check: past it, lowering
   * stops with `check_budget` (`budgetExhausted` in the result) rather than `unroll_limit`.
   */
  readonly maxWork?: number;
}

export type GateEntry =
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

export type ResolvedModifier =
  | { readonly kind: 'ctrl' | 'negctrl'; readonly count: number }
  | { readonly kind: 'inv' }
  | { readonly kind: 'pow'; readonly exponent: Value; readonly span: Span };

export interface Variable {
  value: Value;
  readonly isConst: boolean;
  readonly type: 'int' | 'float' | 'bool';
  /** Runtime-`if` depth at declaration; assigning from deeper would need run-time classical state. */
  readonly depth: number;
}

export class LimitExceeded {
  constructor(readonly diagnostic: Diagnostic) {}
}

/** Lowering reached the caller's `maxWork` budget: the program was not lowered to its end. */
export class BudgetExhausted {
  constructor(readonly work: number) {}
}

export function nameOfType(t: string): 'int' | 'float' | 'bool' | undefined {
  if (t === 'int' || t === 'uint') return 'int';
  if (t === 'float' || t === 'angle') return 'float';
  if (t === 'bool') return 'bool';
  return undefined;
}

export function coerce(v: Value, type: 'int' | 'float' | 'bool'): Value {
  if (type === 'int') return num(Math.trunc(v.v), 'int');
  if (type === 'bool') return num(v.v !== 0 ? 1 : 0, 'bool');
  return v.d ? num(v.v, 'float', v.d) : num(v.v, 'float');
}

export class LowerContext {
  readonly diagnostics: Diagnostic[] = [];
  readonly qubitRegs = new Map<string, RegisterInfo>();
  readonly bitRegs = new Map<string, RegisterInfo>();
  numQubits = 0;
  numClbits = 0;
  readonly scopes: Map<string, Variable>[] = [new Map()];
  readonly gates = new Map<string, GateEntry>();
  readonly parameters: string[] = [];
  readonly inputs = new Set<string>();
  readonly includes = new Set<string>();
  runtimeDepth = 0;
  blockDepth = 0;
  work = 0;
  readonly cache = new Map<string, Unitary>();
  out: Operation[] = [];
  qasm2 = false;
  /** Lowers one statement; set by lower.ts so that block bodies can recurse. */
  lowerStatement: (stmt: Statement) => void = () => undefined;

  constructor(readonly options: LowerOptions) {}

  // --- infrastructure ---
  report(d: Diagnostic): void {
    this.diagnostics.push(d);
  }

  errorCount(): number {
    return this.diagnostics.filter((d) => d.severity === 'error').length;
  }

  tick(span: Span, amount = 1): void {
    this.work += amount;
    const budget = this.options.maxWork;
    if (budget !== undefined && budget < MAX_WORK && this.work > budget) throw new BudgetExhausted(this.work);
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

  lookupVariable(name: string): Variable | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const v = this.scopes[i]!.get(name);
      if (v) return v;
    }
    return undefined;
  }

  readonly env: ExprEnv = {
    lookup: (name: string): Lookup => {
      const v = this.lookupVariable(name);
      if (v) return { kind: 'value', value: v.value };
      if (this.qubitRegs.has(name)) return { kind: 'register', what: 'qubit' };
      if (this.bitRegs.has(name)) return { kind: 'register', what: 'bit' };
      return undefined;
    },
    report: (d) => this.report(d),
  };

  readonly bitResolver: BitResolver = {
    isBitRegister: (name) => this.bitRegs.has(name) && !this.lookupVariable(name),
    bits: (operand) => this.resolve(operand, 'bit')?.indices,
  };

  resolve(operand: Operand, kind: 'qubit' | 'bit'): ResolvedOperand | undefined {
    const [mine, other] = kind === 'qubit' ? [this.qubitRegs, this.bitRegs] : [this.bitRegs, this.qubitRegs];
    return resolveOperand(operand, mine, kind, this.env, other);
  }

  qubitName(index: number): string {
    for (const r of this.qubitRegs.values()) {
      if (index >= r.start && index < r.start + r.size) return r.single ? r.name : `${r.name}[${index - r.start}]`;
    }
    return `qubit ${index}`;
  }

  isDeclared(name: string): boolean {
    return this.qubitRegs.has(name) || this.bitRegs.has(name) || this.scopes[this.scopes.length - 1]!.has(name);
  }

  checkNewName(name: string, span: Span): boolean {
    if (this.isDeclared(name)) {
      this.report(qasmDiagnostic('duplicate_declaration', `\`${name}\` is already declared.`, span));
      return false;
    }
    return true;
  }

  requireGlobal(what: string, span: Span): boolean {
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

  withScope(body: () => void): void {
    this.scopes.push(new Map());
    this.blockDepth++;
    try {
      body();
    } finally {
      this.blockDepth--;
      this.scopes.pop();
    }
  }

  emit(op: Operation, span: Span): void {
    this.tick(span);
    this.out.push(op);
  }
}
