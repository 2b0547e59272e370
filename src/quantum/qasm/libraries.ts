/**
 * The includable gate libraries, parsed once and shared. `builtin` holds OpenQASM 2's built-in `CX`, written
 * in terms of `U` so every backend sees one definition.
 */
import type { Program } from './ast.js';
import { parseProgram } from './parser.js';
import { QELIB1_INC } from './qelib1.js';
import { STDGATES_INC } from './stdgates.js';

const SOURCES = {
  builtin: 'OPENQASM 3.0;\ngate CX a, b { ctrl @ U(π, 0, π) a, b; }\n',
  'qelib1.inc': `OPENQASM 2.0;\n${QELIB1_INC}`,
  'stdgates.inc': `OPENQASM 3.0;\n${STDGATES_INC}`,
} as const;

const parsed = new Map<string, Program>();

export function libraryProgram(name: keyof typeof SOURCES): Program {
  let program = parsed.get(name);
  if (!program) {
    program = parseProgram(SOURCES[name]).program;
    parsed.set(name, program);
  }
  return program;
}
