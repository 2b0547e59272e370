/** Prints diagnostics the way compilers do: `path:line:col severity code message`, coloured on a TTY. */
import type { Diagnostic } from '../shared/diagnostic.js';
import type { Output } from './output.js';
import { terminalText } from './terminal-text.js';

export function formatDiagnostic(out: Output, path: string, d: Diagnostic): string {
  const style = d.severity === 'error' ? 'red' : d.severity === 'warning' ? 'yellow' : 'cyan';
  const place = terminalText(`${path}:${d.line}:${d.column}`);
  return `${out.paint('bold', place)} ${out.paint(style, d.severity)} ${out.paint('dim', terminalText(d.code))} ${terminalText(d.message)}`;
}

export function diagnosticJson(d: Diagnostic): Record<string, unknown> {
  const base: Record<string, unknown> = {
    code: d.code,
    severity: d.severity,
    message: d.message,
    line: d.line,
    column: d.column,
    ruleId: d.ruleId,
  };
  if (d.end) base['endLine'] = d.end.line;
  if (d.end) base['endColumn'] = d.end.column;
  return base;
}

export function summary(errors: number, warnings: number, files: number): string {
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${plural(files, 'file')}`;
}
