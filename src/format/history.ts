/**
 * Reads `## History`: append-only list lines `- <ISO-8601 UTC>: [ACTION] text`. Lines that do not have that shape
 * are reported (as warnings: History is a log, and a hand-written note must not block a run).
 */
import { diagnostic } from '../shared/diagnostic.js';
import type { DiagnosticCap } from './diagnostic-cap.js';
import { HISTORY_ACTIONS, type HistoryEntry } from './document.js';
import type { LineIndex } from './line-index.js';
import type { Line } from './lines.js';

const ENTRY = /^\s*[-*+]\s+(\S+?):?\s+\[([A-Za-z_]+)\]\s?(.*)$/;
export const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]00:?00)$/;

export function readHistory(lines: readonly Line[], index: LineIndex, report: DiagnosticCap): HistoryEntry[] {
  const entries: HistoryEntry[] = [];
  for (const line of lines) {
    if (line.text.trim() === '') continue;
    const span = index.span(line.offset, line.offset + line.text.length);
    const m = ENTRY.exec(line.text);
    if (!m) {
      report.add(
        diagnostic({
          code: 'invalid_history_entry',
          severity: 'warning',
          message:
            'History lines look like `- 2025-01-01T12:00:00Z: [EXECUTE] text`; this line is not read as an entry.',
          place: span,
          ruleId: 'history',
          source: 'maml',
        }),
      );
      continue;
    }
    entries.push({
      timestamp: m[1] ?? '',
      action: (m[2] ?? '').toUpperCase(),
      text: m[3] ?? '',
      raw: line.text,
      span,
    });
  }
  return entries;
}

export function isHistoryAction(action: string): boolean {
  return (HISTORY_ACTIONS as readonly string[]).includes(action);
}
