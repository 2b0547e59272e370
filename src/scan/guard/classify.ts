/**
 * Runs the classifier over a document's pieces (pieces.ts): each piece alone (a line of prose, a comment, a
 * string; a piece longer than WINDOW in overlapping chunks), so that an injected line is not diluted by the
 * benign text around it, and windows of about a paragraph, because an instruction can be spread over several
 * short lines or sections: each window joins consecutive pieces up to WINDOW characters, and the next window
 * starts halfway through it. Every piece is read about three times, so time stays linear in the document. A window that reads like ROT13 is
 * also scored decoded, and so is readable base64 (the encoded-payload rule's decoding). The highest-scoring
 * window is the evidence.
 */
import { readableBase64 } from '../rules/encoded-payload.js';
import { inRanges } from '../segments.js';
import type { GuardScorer } from './model.js';
import { normalizeText, rot13 } from './normalize.js';
import type { Piece } from './pieces.js';

/** Window length in characters; the training prompts are mostly shorter. */
export const WINDOW = 400;

export interface ClassifierHit {
  readonly probability: number;
  /** The window's stretch of the document. */
  readonly start: number;
  readonly end: number;
  /** How the scored text was decoded from what the document shows, if at all. */
  readonly decoded: 'rot13' | 'base64' | null;
  /** The scored text (decoded when `decoded`), cut to 160 characters. */
  readonly text: string;
}

/** English function words as ROT13 spells them ("the", "and", "you", "your", "to", "of", "is", "all"). */
const ROT13_WORDS = /\b(?:gur|naq|lbh|lbhe|gb|bs|vf|nyy|vtaber|cerivbhf|vafgehpgvbaf|cnffjbeq)\b/gi;

function looksRot13(normalized: string): boolean {
  let n = 0;
  ROT13_WORDS.lastIndex = 0;
  while (ROT13_WORDS.exec(normalized) !== null) if (++n >= 2) return true;
  return false;
}

export function classifyPieces(
  text: string,
  pieces: readonly Piece[],
  expected: readonly (readonly [number, number])[],
  scorer: GuardScorer,
): ClassifierHit | null {
  let best: ClassifierHit | null = null;
  let bestP = -1;
  // Objects are made only for a new best window: most windows are read and dropped.
  const offer = (p: number, start: number, end: number, decoded: ClassifierHit['decoded'], shown: string): void => {
    if (p <= bestP) return;
    bestP = p;
    best = { probability: p, start, end, decoded, text: shown.slice(0, 160) };
  };
  const consider = (start: number, end: number, raw: string): void => {
    const normalized = normalizeText(raw);
    if (normalized.length < 3) return;
    offer(scorer.scoreNormalized(normalized), start, end, null, raw);
    if (looksRot13(normalized)) {
      const decoded = rot13(normalized);
      offer(scorer.scoreNormalized(decoded), start, end, 'rot13', decoded);
    }
  };
  const long = (start: number, end: number): void => {
    for (let s = start; s < end; s += WINDOW / 2) {
      const e = Math.min(end, s + WINDOW);
      consider(s, e, text.slice(s, e));
      if (e === end) break;
    }
  };
  for (const p of pieces) {
    if (p.end - p.start > WINDOW) long(p.start, p.end);
    else consider(p.start, p.end, text.slice(p.start, p.end));
  }
  let i = 0;
  while (i < pieces.length) {
    const first = pieces[i] as Piece;
    if (first.end - first.start > WINDOW) {
      i++;
      continue;
    }
    let j = i;
    let length = first.end - first.start;
    while (j + 1 < pieces.length) {
      const next = pieces[j + 1] as Piece;
      if (length + 1 + next.end - next.start > WINDOW) break;
      length += 1 + next.end - next.start;
      j++;
    }
    if (j > i) {
      let joined = '';
      for (let k = i; k <= j; k++) {
        const p = pieces[k] as Piece;
        joined += (k > i ? '\n' : '') + text.slice(p.start, p.end);
      }
      consider(first.start, (pieces[j] as Piece).end, joined);
    }
    i += Math.max(1, Math.ceil((j - i + 1) / 2));
  }
  // Base64 that decodes to readable text is read as the text it hides.
  for (const { match: m, decoded } of readableBase64(text)) {
    const at = m.index ?? 0;
    if (inRanges(expected, at)) continue;
    const normalized = normalizeText(decoded.slice(0, WINDOW * 4));
    offer(scorer.scoreNormalized(normalized), at, at + m[0].length, 'base64', decoded);
  }
  return best;
}
