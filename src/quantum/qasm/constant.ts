/**
 * Evaluates a standalone constant expression (`0.5`, `pi/4`, `-2*tau`) with the OpenQASM expression rules; the
 * CLI uses it for `--input name=value`.
 */
import type { Diagnostic } from '../../shared/diagnostic.js';
import { parseProgram } from './parser.js';
import { evaluate } from './expressions.js';

export function evaluateConstant(text: string): { value?: number; diagnostics: readonly Diagnostic[] } {
  const parsed = parseProgram(`OPENQASM 3.0;\nconst float __value = ${text.replace(/[;{}]/g, ' ')};`);
  const decl = parsed.program.statements.find((s) => s.kind === 'classical_decl');
  if (parsed.diagnostics.length > 0 || !decl || decl.kind !== 'classical_decl' || !decl.init) {
    return { diagnostics: parsed.diagnostics };
  }
  const diagnostics: Diagnostic[] = [];
  const v = evaluate(decl.init, { lookup: () => undefined, report: (d) => diagnostics.push(d) });
  return v && Number.isFinite(v.v) ? { value: v.v, diagnostics } : { diagnostics };
}
