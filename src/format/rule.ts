/** What a validation rule sees and returns. Each rule lives in its own file under rules/ and is listed once. */
import type { Diagnostic, Severity, Span } from '../shared/diagnostic.js';
import type { BlockCheckers } from './block-checker.js';
import type { MamlDocument } from './document.js';
import type { TaskGraph } from './graph.js';
import type { Profile } from './profile.js';

export interface RuleContext {
  readonly doc: MamlDocument;
  readonly profile: Profile;
  /** Front matter as the profile reads it (normalized under `lenient`); undefined when absent or unreadable. */
  readonly frontMatter: Readonly<Record<string, unknown>> | undefined;
  readonly graph: TaskGraph;
  /** Span of a front-matter path, falling back to its nearest parent, then the front matter, then the start. */
  placeOf(path: string): Span;
  /** Checkers of block code by language, as the caller passed them (none by default). */
  readonly blockCheckers: BlockCheckers;
}

export interface Finding {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly place: Span;
  /** Where the finding comes from, when not the rule itself (a block checker's `qasm/gate-call`, source `qasm`). */
  readonly ruleId?: string;
  readonly source?: string;
}

export interface Rule {
  readonly id: string;
  readonly description: string;
  check(ctx: RuleContext): readonly Finding[];
}

export type { Diagnostic };
