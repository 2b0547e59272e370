/**
 * `validate(doc, { profile })`: every diagnostic for a parsed document, never just the first, in document order.
 * Parse-time problems come first in the same list; then each rule in rules/ runs over a shared context.
 */
import { compareDiagnostics, diagnostic, type Diagnostic, type Span } from '../shared/diagnostic.js';
import type { MamlDocument } from './document.js';
import type { BlockCheckers } from './block-checker.js';
import { DiagnosticCap } from './diagnostic-cap.js';
import { buildGraph, type TaskGraph } from './graph.js';
import { normalizeFrontMatter } from './normalize-front-matter.js';
import type { Profile } from './profile.js';
import type { Rule, RuleContext } from './rule.js';
import { RULES } from './rules/index.js';

export interface ValidateOptions {
  readonly profile?: Profile;
  /** Rules to run instead of the built-in list (for tools that add their own). */
  readonly rules?: readonly Rule[];
  /** Checkers of block code by language, e.g. `{ qasm: checkQasmBlock }` (see block-checker.ts). */
  readonly blockCheckers?: BlockCheckers;
}

export interface ValidationResult {
  readonly ok: boolean;
  readonly diagnostics: readonly Diagnostic[];
  readonly graph: TaskGraph;
  /** Front matter as the profile read it. */
  readonly frontMatter: Readonly<Record<string, unknown>> | undefined;
}

const ZERO: Span = { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } };

export function placeFinder(doc: MamlDocument): (path: string) => Span {
  const fm = doc.frontMatter;
  return (path) => {
    if (!fm) return ZERO;
    let p = path;
    for (;;) {
      const hit = fm.places.get(p === '' ? '/' : p);
      if (hit) return hit;
      if (p === '' || p === '/') return fm.span;
      p = p.endsWith('#key') ? p.slice(0, -4) : p.slice(0, Math.max(0, p.lastIndexOf('/')));
    }
  };
}

export function validateDocument(doc: MamlDocument, options: ValidateOptions = {}): ValidationResult {
  const profile = options.profile ?? 'lenient';
  const placeOf = placeFinder(doc);
  const report = new DiagnosticCap();
  report.addAll(doc.diagnostics);
  let frontMatter = doc.frontMatter?.value;
  if (frontMatter && profile === 'lenient') {
    const normalized = normalizeFrontMatter(frontMatter, placeOf);
    frontMatter = normalized.value;
    report.addAll(normalized.diagnostics);
  }
  const graph = buildGraph(doc);
  const ctx: RuleContext = { doc, profile, frontMatter, graph, placeOf, blockCheckers: options.blockCheckers ?? {} };
  for (const rule of options.rules ?? RULES) {
    let findings;
    try {
      findings = rule.check(ctx);
    } catch (error) {
      // A rule bug must not hide the other rules' findings; report it as such.
      findings = [
        {
          code: 'internal_rule_error',
          severity: 'error' as const,
          message: `Rule ${rule.id} failed: ${error instanceof Error ? error.message : String(error)}. Please report this.`,
          place: ZERO,
        },
      ];
    }
    for (const f of findings) {
      report.add(
        diagnostic({
          code: f.code,
          severity: f.severity,
          message: f.message,
          place: f.place,
          ruleId: f.ruleId ?? rule.id,
          source: f.source ?? 'maml',
        }),
      );
    }
  }
  const diagnostics = report.list().sort(compareDiagnostics);
  return { ok: !diagnostics.some((d) => d.severity === 'error'), diagnostics, graph, frontMatter };
}

/** Shorthand for the diagnostics alone. */
export function validate(doc: MamlDocument, options: ValidateOptions = {}): Diagnostic[] {
  return [...validateDocument(doc, options).diagnostics];
}
