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

const OPERATORS_3 = new Set(['<<=', '>>=', '**=']);
const OPERATORS_2 = new Set([
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
]);
const OPERATORS_1 = new Set('()[]{},;:@=<>+-*/%^!~&|.');

const NUMBER = /(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?(?:[eE][+-]?[0-9]+)?/y;
const ASCII_IDENT = /[A-Za-z_][A-Za-z0-9_]*/y;
const UNICODE_IDENT = /[\p{L}_][\p{L}\p{N}_]*/uy;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let offset = 0;
  let line = 1;
  let column = 1;
  const here = (): Point => ({ line, column, offset });
  /** Move over text that may contain line breaks. */
  const advanceLines = (to: number): void => {
    while (offset < to) {
      if (text.charCodeAt(offset) === 10) {
        line++;
        column = 1;
      } else {
        column++;
      }
      offset++;
    }
  };
  /** Move over a token, which never contains a line break. */
  const take = (kind: TokenKind, length: number): void => {
    const start = here();
    const from = offset;
    offset += length;
    column += length;
    tokens.push({ kind, text: text.slice(from, offset), start, end: here() });
  };

  while (offset < text.length) {
    const c = text.charCodeAt(offset);
    // space, tab, CR, LF, FF, VT, BOM
    if (c === 32 || c === 9 || c === 13 || c === 12 || c === 11 || c === 0xfeff) {
      offset++;
      column++;
      continue;
    }
    if (c === 10) {
      offset++;
      line++;
      column = 1;
      continue;
    }
    if (c === 47 && text.charCodeAt(offset + 1) === 47) {
      const nl = text.indexOf('\n', offset);
      advanceLines(nl < 0 ? text.length : nl);
      continue;
    }
    if (c === 47 && text.charCodeAt(offset + 1) === 42) {
      const close = text.indexOf('*/', offset + 2);
      advanceLines(close < 0 ? text.length : close + 2);
      continue;
    }
    // OpenQASM 3 `#pragma` lines carry backend hints this engine has no use for.
    if (c === 35 && text.startsWith('#pragma', offset)) {
      const nl = text.indexOf('\n', offset);
      advanceLines(nl < 0 ? text.length : nl);
      continue;
    }
    if (isDigit(c) || (c === 46 && isDigit(text.charCodeAt(offset + 1)))) {
      NUMBER.lastIndex = offset;
      const literal = NUMBER.exec(text)?.[0] ?? '';
      const length = Math.max(1, literal.length);
      take(/[.eE]/.test(literal) ? 'float' : 'int', length);
      continue;
    }
    if (c === 34 || c === 39) {
      const close = text.indexOf(text[offset]!, offset + 1);
      const nl = text.indexOf('\n', offset + 1);
      if (close < 0 || (nl >= 0 && nl < close)) take('invalid', 1);
      else take('string', close + 1 - offset);
      continue;
    }
    if (c === 36) {
      let end = offset + 1;
      while (end < text.length && isDigit(text.charCodeAt(end))) end++;
      take('hardware', end - offset);
      continue;
    }
    ASCII_IDENT.lastIndex = offset;
    let ident = ASCII_IDENT.exec(text)?.[0];
    if (c >= 128 || (ident !== undefined && text.charCodeAt(offset + ident.length) >= 128)) {
      UNICODE_IDENT.lastIndex = offset;
      ident = UNICODE_IDENT.exec(text)?.[0] ?? ident;
    }
    if (ident) {
      take('ident', ident.length);
      continue;
    }
    if (OPERATORS_3.has(text.slice(offset, offset + 3))) take('op', 3);
    else if (OPERATORS_2.has(text.slice(offset, offset + 2))) take('op', 2);
    else if (OPERATORS_1.has(text[offset]!)) take('op', 1);
    else take('invalid', String.fromCodePoint(text.codePointAt(offset) ?? 0).length);
  }
  const end = here();
  tokens.push({ kind: 'eof', text: '', start: end, end });
  return tokens;
}
