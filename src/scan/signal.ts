/**
 * The signals that make up a document's threat score, each with its weight and the evidence behind it, as
 * `maml scan --json` lists them: the rules (every finding), the trained classifier (its probability and the
 * window that scored highest) and, when a baseline of known-good documents is given, the distance to the nearest
 * of them. The score is the sum of the weights, capped at 100.
 */

export interface RulesSignal {
  readonly signal: 'rules';
  readonly weight: number;
  /** Each finding's code, weight and line. */
  readonly evidence: readonly { readonly code: string; readonly weight: number; readonly line: number }[];
}

export interface ClassifierSignal {
  readonly signal: 'classifier';
  readonly weight: number;
  readonly model: string;
  /** The highest window probability (0 for a document with no text to read). */
  readonly probability: number;
  readonly threshold: number;
  /** The window that scored highest: its first line and column, its text (decoded when it was hidden). */
  readonly evidence: {
    readonly line: number;
    readonly column: number;
    readonly endLine: number;
    readonly decoded: 'rot13' | 'base64' | null;
    readonly text: string;
  } | null;
}

export interface BaselineSignal {
  readonly signal: 'baseline';
  readonly weight: number;
  readonly method: string;
  /** Cosine similarity to the nearest known document (0 to 1). */
  readonly similarity: number;
  /** Below this similarity the document is an outlier. */
  readonly threshold: number;
  readonly nearest: string | null;
}

export type Signal = RulesSignal | ClassifierSignal | BaselineSignal;
