/**
 * The document model `parse` returns. It keeps the original text: every node carries the span it came from, so
 * an unmodified document serializes back byte-for-byte and edits touch only their own span.
 */
import type { Document as YamlDocument } from 'yaml';
import type { Diagnostic, Point, Span } from '../shared/diagnostic.js';

export type LineEnding = '\n' | '\r\n';

export interface FrontMatter {
  /** The whole block including both `---` lines. */
  readonly span: Span;
  /** The YAML text between the fences. */
  readonly source: string;
  readonly sourceOffset: number;
  /** The parsed value, or undefined when the YAML could not be read. */
  readonly value: Readonly<Record<string, unknown>> | undefined;
  /** Position of each key and value, by JSON-pointer-like path (`/permissions/read/0`). */
  readonly places: ReadonlyMap<string, Span>;
  /** The YAML document, for edits that keep comments and layout. */
  readonly yaml: YamlDocument | undefined;
}

export interface Section {
  /** Heading text as written, without `## ` (may carry emoji). */
  readonly title: string;
  /** Normalized name: decoration stripped, lower case, spaces as underscores (`code_blocks`). */
  readonly name: string;
  /** Heading line. */
  readonly heading: Span;
  /** From the heading to just before the next `##`/`#` heading or the end. */
  readonly span: Span;
  /** Text after the heading line. */
  readonly body: string;
  readonly bodyOffset: number;
}

export interface CodeBlock {
  /** `#id` from the attributes, or `block-N` (1-based among task-position blocks, document order). */
  readonly id: string;
  readonly explicitId: boolean;
  /** Normalized language (`python`, `qasm`, …) or the info word as written, lower-cased. */
  readonly lang: string;
  /** The info string's first word as written. */
  readonly langRaw: string;
  readonly code: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly classes: readonly string[];
  readonly needs: readonly string[];
  readonly head: string | undefined;
  readonly timeout: string | undefined;
  readonly continueOnError: boolean;
  /** True when the gateway runs it: an executable language in a task position, not `run=false`. */
  readonly executable: boolean;
  /** Normalized name of the section holding it, or undefined before the first heading. */
  readonly section: string | undefined;
  /** Opening fence line. */
  readonly span: Span;
  readonly line: number;
  readonly column: number;
  readonly offset: number;
  /** Where the code starts (line after the opening fence). */
  readonly codeStart: Point;
}

export interface DependencyEdge {
  readonly from: string;
  readonly to: string;
  readonly place: Span;
}

export const HISTORY_ACTIONS = ['CREATE', 'VALIDATE', 'EXECUTE', 'TICKET', 'VERIFY', 'REGENERATE', 'ERROR'] as const;
export type HistoryAction = (typeof HISTORY_ACTIONS)[number];

export interface HistoryEntry {
  readonly timestamp: string;
  /** Upper-cased action as written; one of HISTORY_ACTIONS when valid. */
  readonly action: string;
  readonly text: string;
  readonly raw: string;
  readonly span: Span;
}

export interface SchemaSection {
  readonly value: unknown;
  /** Where the JSON text starts. */
  readonly place: Point;
  readonly fenced: boolean;
}

export interface MamlDocument {
  readonly text: string;
  readonly hasBom: boolean;
  readonly lineEnding: LineEnding;
  readonly frontMatter: FrontMatter | undefined;
  /** Where the Markdown body begins (after the front matter). */
  readonly bodyOffset: number;
  readonly sections: readonly Section[];
  readonly blocks: readonly CodeBlock[];
  readonly dependencies: readonly DependencyEdge[];
  readonly history: readonly HistoryEntry[];
  readonly inputSchema: SchemaSection | undefined;
  readonly outputSchema: SchemaSection | undefined;
  /** Problems found while reading: encoding, front matter, YAML, fences, schema JSON, History lines. */
  readonly diagnostics: readonly Diagnostic[];
}
