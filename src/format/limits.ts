/** Limits that keep hostile documents from exhausting time or memory. All are configurable per call. */

export interface ParseLimits {
  /** Largest document accepted, in UTF-8 bytes. */
  readonly maxBytes: number;
  /** Most YAML alias expansions allowed when resolving front matter ("billion laughs" guard). */
  readonly maxAliasCount: number;
  /** Deepest nesting of YAML collections accepted in front matter. */
  readonly maxDepth: number;
  /**
   * Largest front matter accepted, in UTF-16 code units between its `---` lines. Front matter is metadata; the
   * YAML reader spends microseconds per character on it, so ten megabytes of it would take most of a minute.
   */
  readonly maxFrontMatterLength: number;
}

export const DEFAULT_LIMITS: ParseLimits = {
  maxBytes: 10 * 1024 * 1024,
  maxAliasCount: 100,
  maxDepth: 64,
  maxFrontMatterLength: 1024 * 1024,
};
