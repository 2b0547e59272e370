/**
 * Every diagnostic code the OpenQASM front end emits, with the rule (file) that owns it. Codes are stable and safe
 * to match on; messages are not.
 */
import { diagnostic } from '../../shared/diagnostic.js';
import type { Diagnostic, Point, Severity, Span } from '../../shared/diagnostic.js';

export const QASM_CODES = {
  syntax_error: 'qasm/syntax',
  invalid_character: 'qasm/syntax',
  nesting_too_deep: 'qasm/syntax',
  unsupported_version: 'qasm/version',
  include_not_found: 'qasm/include',
  unsupported_feature: 'qasm/unsupported',
  duplicate_declaration: 'qasm/declarations',
  invalid_register_size: 'qasm/declarations',
  too_many_qubits: 'qasm/declarations',
  undeclared_identifier: 'qasm/identifiers',
  undefined_gate: 'qasm/gate-call',
  wrong_parameter_count: 'qasm/gate-call',
  wrong_qubit_count: 'qasm/gate-call',
  duplicate_qubit: 'qasm/gate-call',
  register_size_mismatch: 'qasm/broadcast',
  index_out_of_range: 'qasm/indexing',
  invalid_index: 'qasm/indexing',
  invalid_gate_body: 'qasm/gate-definition',
  invalid_modifier: 'qasm/modifiers',
  power_not_computable: 'qasm/modifiers',
  type_error: 'qasm/expressions',
  non_finite_value: 'qasm/expressions',
  missing_input_binding: 'qasm/inputs',
  unused_binding: 'qasm/inputs',
  invalid_condition: 'qasm/control-flow',
  invalid_loop: 'qasm/control-flow',
  unroll_limit: 'qasm/limits',
  derivative_unavailable: 'qasm/derivatives',
  internal_error: 'qasm/internal',
} as const;

export type QasmCode = keyof typeof QASM_CODES;

export function qasmDiagnostic(
  code: QasmCode,
  message: string,
  place: Span | Point,
  severity: Severity = 'error',
): Diagnostic {
  return diagnostic({ code, severity, message, place, ruleId: QASM_CODES[code], source: 'qasm' });
}
