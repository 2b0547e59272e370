/**
 * The OpenQASM syntax tree the parser produces. Every node carries its source span so that the checker and the
 * lowering can place their diagnostics. It models the subset this engine runs plus the unsupported constructs it
 * recognises (so they can be reported by name).
 */
import type { Span } from '../../shared/diagnostic.js';

export type Expr =
  | { readonly kind: 'number'; readonly value: number; readonly isInt: boolean; readonly span: Span }
  | { readonly kind: 'bool'; readonly value: boolean; readonly span: Span }
  | { readonly kind: 'ident'; readonly name: string; readonly span: Span }
  | { readonly kind: 'unary'; readonly op: string; readonly operand: Expr; readonly span: Span }
  | { readonly kind: 'binary'; readonly op: string; readonly left: Expr; readonly right: Expr; readonly span: Span }
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly Expr[]; readonly span: Span }
  | { readonly kind: 'index'; readonly name: string; readonly index: IndexItem; readonly span: Span }
  | { readonly kind: 'measure'; readonly operand: Operand; readonly span: Span };

/** One index or slice inside `[…]`: `q[1]`, `q[0:2]`, `q[0:2:6]` (inclusive end, OpenQASM 3), `q[{0, 3}]`. */
export type IndexItem =
  | { readonly kind: 'single'; readonly expr: Expr; readonly span: Span }
  | {
      readonly kind: 'range';
      readonly start?: Expr;
      readonly step?: Expr;
      readonly end?: Expr;
      readonly span: Span;
    }
  | { readonly kind: 'set'; readonly items: readonly Expr[]; readonly span: Span };

/** A qubit or bit operand: a register name, optionally indexed. */
export interface Operand {
  readonly name: string;
  readonly index?: IndexItem;
  readonly span: Span;
}

export type Modifier =
  | { readonly kind: 'ctrl' | 'negctrl'; readonly count?: Expr; readonly span: Span }
  | { readonly kind: 'inv'; readonly span: Span }
  | { readonly kind: 'pow'; readonly exponent: Expr; readonly span: Span };

export interface TypeSpec {
  /** `int`, `uint`, `float`, `angle`, `bool`, `bit`, `complex`, … */
  readonly name: string;
  readonly width?: Expr;
  readonly span: Span;
}

export type Statement =
  | { readonly kind: 'version'; readonly version: string; readonly span: Span }
  | { readonly kind: 'include'; readonly path: string; readonly span: Span }
  | {
      readonly kind: 'qubit_decl';
      readonly name: string;
      readonly size?: Expr;
      readonly style: 'qreg' | 'qubit';
      readonly nameSpan: Span;
      readonly span: Span;
    }
  | {
      readonly kind: 'bit_decl';
      readonly name: string;
      readonly size?: Expr;
      readonly style: 'creg' | 'bit';
      readonly init?: Expr;
      readonly nameSpan: Span;
      readonly span: Span;
    }
  | {
      readonly kind: 'classical_decl';
      readonly type: TypeSpec;
      readonly name: string;
      readonly modifier: 'const' | 'input' | 'output' | 'none';
      readonly init?: Expr;
      readonly nameSpan: Span;
      readonly span: Span;
    }
  | {
      readonly kind: 'gate_def';
      readonly name: string;
      readonly params: readonly { readonly name: string; readonly span: Span }[];
      readonly qubits: readonly { readonly name: string; readonly span: Span }[];
      readonly body: readonly Statement[];
      readonly opaque: boolean;
      readonly nameSpan: Span;
      readonly span: Span;
    }
  | {
      readonly kind: 'gate_call';
      readonly modifiers: readonly Modifier[];
      readonly name: string;
      readonly args: readonly Expr[];
      readonly operands: readonly Operand[];
      readonly nameSpan: Span;
      readonly span: Span;
    }
  | { readonly kind: 'measure'; readonly operand: Operand; readonly target?: Operand; readonly span: Span }
  | { readonly kind: 'reset'; readonly operand: Operand; readonly span: Span }
  | { readonly kind: 'barrier'; readonly operands: readonly Operand[]; readonly span: Span }
  | {
      readonly kind: 'if';
      readonly condition: Expr;
      readonly then: readonly Statement[];
      readonly else?: readonly Statement[];
      readonly span: Span;
    }
  | {
      readonly kind: 'for';
      readonly variable: string;
      readonly varType?: TypeSpec;
      readonly iterable: IndexItem | { readonly kind: 'expr'; readonly expr: Expr; readonly span: Span };
      readonly body: readonly Statement[];
      readonly span: Span;
    }
  | {
      readonly kind: 'assign';
      readonly target: Operand;
      readonly op: string;
      readonly value: Expr;
      readonly span: Span;
    }
  /** A construct the parser recognised and skipped; the checker reports it as unsupported. */
  | { readonly kind: 'unsupported'; readonly feature: string; readonly span: Span };

export interface Program {
  /** `2.0`, `3`, `3.0`, or undefined when there is no `OPENQASM` line. */
  readonly version?: string;
  readonly statements: readonly Statement[];
}
