/**
 * The OpenQASM front end's entry point: text in, Circuit IR and diagnostics out. It never throws; the circuit is
 * present only when no diagnostic is an error.
 */
import type { Diagnostic } from '../../shared/diagnostic.js';
import { START, compareDiagnostics } from '../../shared/diagnostic.js';
import type { Circuit } from '../circuit.js';
import type { Program } from './ast.js';
import { qasmDiagnostic } from './codes.js';
import { lowerProgram } from './lower.js';
import type { LowerOptions } from './lower.js';
import { parseProgram } from './parser.js';

export type ParseQasmOptions = LowerOptions;

export interface ParseQasmResult {
  readonly circuit?: Circuit;
  readonly program?: Program;
  readonly diagnostics: readonly Diagnostic[];
}

export function parseQasm(text: string, options: ParseQasmOptions = {}): ParseQasmResult {
  try {
    const parsed = parseProgram(text);
    if (parsed.diagnostics.some((d) => d.severity === 'error')) {
      // Lowering a program with syntax errors would mostly report their consequences; stop at the syntax.
      return { program: parsed.program, diagnostics: [...parsed.diagnostics].sort(compareDiagnostics) };
    }
    const lowered = lowerProgram(parsed.program, options);
    const diagnostics = [...parsed.diagnostics, ...lowered.diagnostics].sort(compareDiagnostics);
    return lowered.circuit
      ? { circuit: lowered.circuit, program: parsed.program, diagnostics }
      : { program: parsed.program, diagnostics };
  } catch (error) {
    // Defence in depth: a bug must surface as a diagnostic, never as an exception to the caller.
    const message = error instanceof Error ? error.message : String(error);
    return {
      diagnostics: [qasmDiagnostic('internal_error', `Internal error while reading the program: ${message}`, START)],
    };
  }
}
