/** Public exports of the OpenQASM 2/3 front end. */
export { parseQasm } from './parse-qasm.js';
export { checkQasmBlock } from './check-block.js';
export type { ParseQasmOptions, ParseQasmResult } from './parse-qasm.js';
export { parseProgram } from './parser.js';
export type { ParseResult } from './parser.js';
export type { Expr, IndexItem, Modifier, Operand, Program, Statement, TypeSpec } from './ast.js';
export { tokenize } from './lexer.js';
export type { Token, TokenKind } from './lexer.js';
export { QASM_CODES } from './codes.js';
export type { QasmCode } from './codes.js';
export { QELIB1_INC, QELIB1_NAMES } from './qelib1.js';
export { STDGATES_INC, STDGATES_NAMES } from './stdgates.js';
export { CONSTANTS } from './expressions.js';
export { MAX_QUBITS, MAX_WORK, MAX_GATE_DEPTH, MAX_MATRIX_QUBITS, MAX_LIBRARY_MATRIX_QUBITS } from './limits.js';
export { evaluateConstant } from './constant.js';
