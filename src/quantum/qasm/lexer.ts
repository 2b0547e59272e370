/**
 * OpenQASM 2/3 tokenizer. Produces every token with its start/end position; never throws. Line and block comments
 * and whitespace are dropped; an unknown character becomes an `invalid` token for the parser to report.
 */
/* eslint-disable @typescript-eslint/no-non-null-assertion -- indices here are in range by construction (loop bounds,
   matrix dimensions, checked lookups); noUncheckedIndexedAccess would otherwise make every array read optional. */
import type { Point } from '../../shared/diagnostic.js';

export type TokenKind = 'ident' | 'int' | 'float' | 'string' | 'hardware' | 'op' | 'invalid' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly start: Point;
  readonly end: Point;
}

// Longest first, so that `**` wins over `*` and `->` over `-`.
const OPERATORS = [
  '<<=',
  '>>=',
  '**=',
  '**',
  '->',
  '==',
  '!=',
  '<=',
  '>=',
  '&&',
  '||',
  '<<',
  '>>',
  '+=',
  '-=',
  '*=',
  '/=',
  '%=',
  '^=',
  '&=',
  '|=',
  '++',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ',',
  ';',
  ':',
  '@',
  '=',
  '<',
  '>',
  '+',
  '-',
  '*',
  '/',
  '%',
  '^',
  '!',
  '~',
  '&',
  '|',
  '.',
] as const;

const IDENT_START = /[\p{L}_]/u;
const IDENT_PART = /[\p{L}\p{N}_]/u;

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let offset = 0;
  let line = 1;
  let column = 1;
  const here = (): Point => ({ line, column, offset });
  const advance = (count: number): void => {
    for (let i = 0; i < count && offset < text.length; i++) {
      if (text[offset] === '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
      offset++;
    }
  };
  const push = (kind: TokenKind, start: Point, from: number): void => {
    tokens.push({ kind, text: text.slice(from, offset), start, end: here() });
  };

  while (offset < text.length) {
    const ch = text[offset]!;
    if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n' || ch === '\f' || ch === '\v' || ch === '\uFEFF') {
      advance(1);
      continue;
    }
    if (text.startsWith('//', offset)) {
      while (offset < text.length && text[offset] !== '\n') advance(1);
      continue;
    }
    // OpenQASM 3 `#pragma` lines carry backend hints this engine has no use for.
    if (text.startsWith('#pragma', offset)) {
      while (offset < text.length && text[offset] !== '\n') advance(1);
      continue;
    }
    if (text.startsWith('/*', offset)) {
      const close = text.indexOf('*/', offset + 2);
      advance(close < 0 ? text.length - offset : close + 2 - offset);
      continue;
    }
    const start = here();
    const from = offset;
    if (/[0-9]/.test(ch) || (ch === '.' && /[0-9]/.test(text[offset + 1] ?? ''))) {
      const m = /^(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?(?:[eE][+-]?[0-9]+)?/.exec(text.slice(offset, offset + 400));
      const literal = m?.[0] ?? ch;
      advance(literal.length);
      push(/[.eE]/.test(literal) ? 'float' : 'int', start, from);
      continue;
    }
    if (ch === '"' || ch === "'") {
      const close = text.indexOf(ch, offset + 1);
      const nl = text.indexOf('\n', offset + 1);
      if (close < 0 || (nl >= 0 && nl < close)) {
        advance(1);
        push('invalid', start, from);
        continue;
      }
      advance(close + 1 - offset);
      push('string', start, from);
      continue;
    }
    if (ch === '$') {
      advance(1);
      while (offset < text.length && /[0-9]/.test(text[offset]!)) advance(1);
      push('hardware', start, from);
      continue;
    }
    const cp = text.codePointAt(offset) ?? 0;
    const first = String.fromCodePoint(cp);
    if (IDENT_START.test(first)) {
      advance(first.length);
      while (offset < text.length) {
        const next = String.fromCodePoint(text.codePointAt(offset) ?? 0);
        if (!IDENT_PART.test(next)) break;
        advance(next.length);
      }
      push('ident', start, from);
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, offset));
    if (op) {
      advance(op.length);
      push('op', start, from);
      continue;
    }
    advance(first.length);
    push('invalid', start, from);
  }
  const end = here();
  tokens.push({ kind: 'eof', text: '', start: end, end });
  return tokens;
}
