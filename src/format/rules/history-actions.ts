/** History entries use the known actions and are in time order (the section is append-only). */
import { isHistoryAction } from '../history.js';
import type { Finding, Rule } from '../rule.js';
import { HISTORY_ACTIONS } from '../document.js';

export const historyActions: Rule = {
  id: 'history-actions',
  description: 'History actions are known and entries are in time order.',
  check(ctx) {
    const findings: Finding[] = [];
    let previous = '';
    for (const entry of ctx.doc.history) {
      if (!isHistoryAction(entry.action)) {
        findings.push({
          code: 'unknown_history_action',
          severity: 'warning',
          message: `History action [${entry.action}] is not one of ${HISTORY_ACTIONS.map((a) => `[${a}]`).join(', ')}.`,
          place: entry.span,
        });
      }
      const t = Date.parse(entry.timestamp);
      if (!Number.isNaN(t) && previous !== '' && t < Date.parse(previous)) {
        findings.push({
          code: 'history_out_of_order',
          severity: 'warning',
          message: `History entry at ${entry.timestamp} is earlier than the one before it (${previous}); History is append-only.`,
          place: entry.span,
        });
      }
      if (!Number.isNaN(t)) previous = entry.timestamp;
    }
    return findings;
  },
};
