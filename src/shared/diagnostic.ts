/**
 * Diagnostics are data: every problem found in user input (a MAML document, an OpenQASM program, a request) is
 * reported as one of these, never thrown. Positions follow the unist convention: `line` and `column` are 1-based,
 * `offset` is a 0-based index into the decoded text (UTF-16 code units).
 */

export const SEVERITIES = ['error', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface Point {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

export interface Span {
  readonly start: Point;
  readonly end: Point;
}

export interface Diagnostic {
  /** Stable snake_case identifier, safe to match on. */
  readonly code: string;
  readonly severity: Severity;
  /** A sentence a person can act on: what is wrong and, where possible, what to do. */
  readonly message: string;
  readonly line: number;
  readonly column: number;
  readonly offset: number;
  readonly end?: Point;
  /** The rule or checker that produced it (one rule per file). */
  readonly ruleId: string;
  /** Which area produced it: `maml`, `yaml`, `qasm`, … */
  readonly source: string;
}

export interface DiagnosticInit {
  code: string;
  severity: Severity;
  message: string;
  place: Point | Span;
  ruleId: string;
  source: string;
}

export const START: Point = { line: 1, column: 1, offset: 0 };

function isSpan(place: Point | Span): place is Span {
  return 'start' in place;
}

export function diagnostic(init: DiagnosticInit): Diagnostic {
  const start = isSpan(init.place) ? init.place.start : init.place;
  const base = {
    code: init.code,
    severity: init.severity,
    message: init.message,
    line: start.line,
    column: start.column,
    offset: start.offset,
    ruleId: init.ruleId,
    source: init.source,
  };
  return isSpan(init.place) ? { ...base, end: init.place.end } : base;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Document order: by offset, then errors before warnings before info, then code. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    a.offset - b.offset ||
    SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
    (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)
  );
}
