/**
 * Runs the classifier over a document's pieces (pieces.ts): each piece alone (a line of prose, a comment, a
 * string; a piece longer than WINDOW in overlapping chunks), so that an injected line is not diluted by the
 * benign text around it, and windows of about a paragraph, because an instruction can be spread over several
 * short lines or sections: each window joins consecutive pieces up to WINDOW characters, and the next window
 * starts halfway through it. Every piece is read about three times, so time stays linear in the document. A window that reads like ROT13 is
 * also scored decoded, and so is readable base64 (the encoded-payload rule's decoding). The highest-scoring
 * window is the evidence.
 */
import { BASE64, decodeBase64, isReadable } from '../rules/encoded-payload.js';
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
  const offer = (hit: ClassifierHit): void => {
    if (best === null || hit.probability > best.probability) best = hit;
  };
  const consider = (start: number, end: number, raw: string): void => {
    const normalized = normalizeText(raw);
    if (normalized.length < 3) return;
    offer({ probability: scorer.scoreNormalized(normalized), start, end, decoded: null, text: raw.slice(0, 160) });
    if (looksRot13(normalized)) {
      const decoded = rot13(normalized);
      offer({
        probability: scorer.scoreNormalized(decoded),
        start,
        end,
        decoded: 'rot13',
        text: decoded.slice(0, 160),
      });
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
  for (const m of text.matchAll(BASE64)) {
    if (inRanges(expected, m.index)) continue;
    const decoded = decodeBase64(m[0]);
    if (!isReadable(decoded)) continue;
    const normalized = normalizeText(decoded.slice(0, WINDOW * 4));
    offer({
      probability: scorer.scoreNormalized(normalized),
      start: m.index,
      end: m.index + m[0].length,
      decoded: 'base64',
      text: decoded.slice(0, 160),
    });
  }
  return best;
}
