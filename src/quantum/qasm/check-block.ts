/**
 * Checks an OpenQASM program the way a MAML document's validation needs it, before any input is known: syntax
 * and the checks of the lowering (undefined gates, undeclared names, wrong arities, …), with diagnostics placed in
 * the program's own lines. `input` declarations get a placeholder value; when a program has any, only the
 * diagnostics that cannot depend on input values are kept (a register sized by an input may be out of range for
 * the placeholder and fine for the real value). Lowering unrolls loops, so it runs within a work budget: a program
 * past it is reported `complete: false` with what was found so far, and is checked in full when it runs. Never
 * throws.
 */
import type { Diagnostic } from '../../shared/diagnostic.js';
import { START, compareDiagnostics } from '../../shared/diagnostic.js';
import { qasmDiagnostic, type QasmCode } from './codes.js';
import { MAX_WORK } from './limits.js';
import { lowerProgram } from './lower.js';
import { parseProgram } from './parser.js';

/** Diagnostics whose presence does not depend on the values bound to `input` declarations. */
const VALUE_INDEPENDENT: ReadonlySet<QasmCode> = new Set<QasmCode>([
  'syntax_error',
  'invalid_character',
  'nesting_too_deep',
  'unsupported_version',
  'include_not_found',
  'unsupported_feature',
  'duplicate_declaration',
  'undeclared_identifier',
  'undefined_gate',
  'wrong_parameter_count',
  'invalid_gate_body',
  'internal_error',
]);

/** Codes that only concern bound values, which validation does not have. */
const BINDING_CODES: ReadonlySet<string> = new Set(['missing_input_binding', 'unused_binding']);

export interface QasmCheck {
  readonly diagnostics: Diagnostic[];
  /** Lowering work spent (see limits.ts MAX_WORK). */
  readonly work: number;
  /** False when the budget ran out before the end of the program. */
  readonly complete: boolean;
}

export function checkQasmBlock(code: string, budget: number = MAX_WORK): QasmCheck {
  try {
    const parsed = parseProgram(code);
    if (parsed.diagnostics.some((d) => d.severity === 'error'))
      return { diagnostics: [...parsed.diagnostics].sort(compareDiagnostics), work: 0, complete: true };
    const inputs = parsed.program.statements.flatMap((s) =>
      s.kind === 'classical_decl' && s.modifier === 'input' ? [s.name] : [],
    );
    const bindings = Object.fromEntries(inputs.map((name) => [name, 1]));
    const lowered = lowerProgram(parsed.program, { bindings, maxWork: Math.max(0, budget) });
    const keep = (d: Diagnostic): boolean =>
      !BINDING_CODES.has(d.code) && (inputs.length === 0 || VALUE_INDEPENDENT.has(d.code as QasmCode));
    return {
      diagnostics: [...parsed.diagnostics, ...lowered.diagnostics.filter(keep)].sort(compareDiagnostics),
      work: lowered.work,
      complete: !lowered.budgetExhausted,
    };
  } catch (error) {
    // Defence in depth, as in parseQasm: a bug surfaces as a diagnostic, never as an exception.
    const message = error instanceof Error ? error.message : String(error);
    return {
      diagnostics: [qasmDiagnostic('internal_error', `Internal error while checking the program: ${message}`, START)],
      work: 0,
      complete: true,
    };
  }
}
