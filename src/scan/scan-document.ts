/**
 * The injection and threat scanner: runs every rule over a document and turns findings into positioned
 * diagnostics plus a 0–100 threat score (the sum of finding weights, capped). A score at or above the caller's
 * threshold (30 by default) marks the document as a likely attack. Heuristic: it finds known shapes of
 * attack, it cannot prove a document safe.
 */
import { DiagnosticCap } from '../format/index.js';
import { compareDiagnostics, diagnostic, type Diagnostic, type Point } from '../shared/index.js';
import type { ScanPermissions } from './rule.js';
import { SCAN_RULES } from './rules/index.js';
import { expectedEncodedRanges, segmentDocument } from './segments.js';

export const DEFAULT_THRESHOLD = 30;
export const MAX_SCORE = 100;

export interface ScanOptions {
  readonly permissions?: ScanPermissions;
}

export interface ScanResult {
  readonly score: number;
  readonly diagnostics: readonly Diagnostic[];
}

function pointAt(starts: readonly number[], offset: number): Point {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - (starts[lo] ?? 0) + 1, offset };
}

export function scanDocument(text: string, options: ScanOptions = {}): ScanResult {
  const ctx = {
    text,
    segments: segmentDocument(text),
    permissions: options.permissions ?? {},
    expectedEncoded: expectedEncodedRanges(text),
  };
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  let score = 0;
  // Every finding counts towards the score; at most 1000 of one code are listed.
  const diagnostics = new DiagnosticCap();
  for (const rule of SCAN_RULES) {
    for (const f of rule.run(ctx)) {
      score += f.weight;
      diagnostics.add(
        diagnostic({
          code: f.code,
          severity: f.severity,
          message: f.message,
          place: { start: pointAt(starts, f.offset), end: pointAt(starts, f.offset + f.length) },
          ruleId: rule.id,
          source: 'scan',
        }),
      );
    }
  }
  return { score: Math.min(MAX_SCORE, score), diagnostics: diagnostics.list().sort(compareDiagnostics) };
}
