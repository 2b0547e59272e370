/**
 * Recursive-descent parser for OpenQASM 2.0 and the OpenQASM 3 core. It never throws: a syntax error becomes a
 * `syntax_error` diagnostic saying what was expected, the parser skips to the end of the statement and goes on, so
 * one run reports every independent mistake. Constructs this engine does not run (`while`, `def`, `box`, …) are
 * recognised, skipped as a whole and kept as `unsupported` statements for the checker to name.
 */
/* eslint-disable @typescript-eslint/no-non-null-assertion -- indices here are in range by construction (loop bounds,
   matrix dimensions, checked lookups); noUncheckedIndexedAccess would otherwise make every array read optional. */
import type { Diagnostic, Point, Span } from '../../shared/diagnostic.js';
import type { Expr, IndexItem, Modifier, Operand, Program, Statement, TypeSpec } from './ast.js';
import { qasmDiagnostic } from './codes.js';
import { tokenize } from './lexer.js';
import type { Token } from './lexer.js';

/** Deeper nesting than this (parentheses, blocks) is refused rather than risking the call stack. */
export const MAX_NESTING = 200;

const CLASSICAL_TYPES = new Set(['int', 'uint', 'float', 'angle', 'bool', 'complex']);

/** Keywords of OpenQASM 3 features this engine does not simulate, with the name used in the diagnostic. */
const UNSUPPORTED_KEYWORDS: Readonly<Record<string, string>> = {
  while: '`while` loops',
  def: '`def` subroutines',
  extern: '`extern` functions',
  box: '`box` blocks',
  cal: '`cal` blocks',
  defcal: '`defcal` calibrations',
  defcalgrammar: '`defcalgrammar`',
  delay: '`delay`',
  duration: '`duration` types',
  stretch: '`stretch` types',
  array: 'arrays',
  let: '`let` aliases',
  switch: '`switch` statements',
  break: '`break`',
  continue: '`continue`',
  return: '`return`',
  end: '`end`',
  durationof: '`durationof`',
  pragma: '`pragma`',
};

class ParseFail {
  constructor(readonly diagnostic: Diagnostic) {}
}

function span(start: Point, end: Point): Span {
  return { start, end };
}

function describe(token: Token): string {
  if (token.kind === 'eof') return 'end of file';
  return `\`${token.text}\``;
}

export interface ParseResult {
  readonly program: Program;
  readonly diagnostics: Diagnostic[];
}

export function parseProgram(text: string): ParseResult {
  return new Parser(text).parseProgram();
}

class Parser {
  private readonly tokens: Token[];
  private pos = 0;
  private depth = 0;
  private readonly diagnostics: Diagnostic[] = [];
  /** OpenQASM 2 reads `^` as power; OpenQASM 3 as exclusive or. */
  private qasm2 = false;

  constructor(text: string) {
    this.tokens = tokenize(text);
  }

  parseProgram(): ParseResult {
    let version: string | undefined;
    const statements: Statement[] = [];
    const first = this.peek();
    if (first.kind === 'ident' && first.text === 'OPENQASM') {
      const stmt = this.guard(() => this.parseVersion());
      if (stmt && stmt.kind === 'version') {
        version = stmt.version;
        this.qasm2 = version.startsWith('2');
        statements.push(stmt);
      }
    }
    while (this.peek().kind !== 'eof') {
      const before = this.pos;
      const stmt = this.guard(() => this.parseStatement());
      if (stmt) statements.push(stmt);
      if (this.pos === before) this.pos++;
    }
    const program: Program = version === undefined ? { statements } : { version, statements };
    return { program, diagnostics: this.diagnostics };
  }

  // --- token helpers ---

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.pos + ahead, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.pos++;
    return t;
  }

  private at(text: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return (t.kind === 'op' || t.kind === 'ident') && t.text === text;
  }

  private eat(text: string): boolean {
    if (this.at(text)) {
      this.pos++;
      return true;
    }
    return false;
  }

  private fail(expected: string, token: Token = this.peek()): never {
    if (token.kind === 'invalid') {
      throw new ParseFail(
        qasmDiagnostic(
          'invalid_character',
          `Unexpected character ${describe(token)}; expected ${expected}.`,
          span(token.start, token.end),
        ),
      );
    }
    throw new ParseFail(
      qasmDiagnostic(
        'syntax_error',
        `Expected ${expected} but found ${describe(token)}.`,
        span(token.start, token.end),
      ),
    );
  }

  private expect(text: string, expected = `\`${text}\``): Token {
    if (!this.at(text)) {
      // A `;` missing at the end of a line: report it and go on as if it were there, so that the next line's
      // statement is parsed rather than skipped.
      const t = this.peek();
      if (text === ';' && t.kind !== 'invalid' && t.start.line > this.prevEnd().line) {
        this.diagnostics.push(
          qasmDiagnostic('syntax_error', `Expected ${expected} but found ${describe(t)}.`, span(t.start, t.end)),
        );
        return { kind: 'op', text: ';', start: this.prevEnd(), end: this.prevEnd() };
      }
      this.fail(expected);
    }
    return this.next();
  }

  private ident(expected: string): Token {
    const t = this.peek();
    if (t.kind !== 'ident') this.fail(expected);
    return this.next();
  }

  private prevEnd(): Point {
    return this.tokens[Math.max(0, this.pos - 1)]!.end;
  }

  private enter(): void {
    if (++this.depth > MAX_NESTING) {
      const t = this.peek();
      throw new ParseFail(
        qasmDiagnostic(
          'nesting_too_deep',
          `Nesting deeper than ${MAX_NESTING} levels is not accepted; simplify the expression or block.`,
          span(t.start, t.end),
        ),
      );
    }
  }

  /** Runs one statement parse; on a syntax error records it and skips to the end of the statement. */
  private guard(parse: () => Statement): Statement | undefined {
    const depth = this.depth;
    try {
      return parse();
    } catch (error) {
      if (!(error instanceof ParseFail)) throw error;
      this.depth = depth;
      this.diagnostics.push(error.diagnostic);
      this.recover();
      return undefined;
    }
  }

  /** Skip past the next `;` (or a balanced `{…}` block) at the current nesting level. */
  private recover(): void {
    let braces = 0;
    while (this.peek().kind !== 'eof') {
      const t = this.next();
      if (t.kind !== 'op') continue;
      if (t.text === '{') braces++;
      else if (t.text === '}') {
        if (braces === 0) {
          this.pos--;
          return;
        }
        braces--;
        if (braces === 0 && !this.at(';')) return;
      } else if (t.text === ';' && braces === 0) return;
    }
  }

  // --- statements ---

  private parseVersion(): Statement {
    const start = this.next().start;
    const t = this.peek();
    if (t.kind !== 'int' && t.kind !== 'float') this.fail('a version number such as `2.0` or `3`');
    this.next();
    this.expect(';');
    return { kind: 'version', version: t.text, span: span(start, this.prevEnd()) };
  }

  private parseStatement(): Statement {
    const t = this.peek();
    if (t.kind === 'op' && t.text === '@') return this.parseAnnotated();
    if (t.kind !== 'ident') {
      if (t.kind === 'op' && t.text === '{') return this.parseScopeBlock();
      if (t.kind === 'hardware') return this.parseGateCall();
      this.fail('a statement');
    }
    const word = t.text;
    const unsupported = UNSUPPORTED_KEYWORDS[word];
    if (unsupported !== undefined) return this.skipUnsupported(unsupported);
    switch (word) {
      case 'OPENQASM': {
        const stmt = this.parseVersion();
        this.diagnostics.push(
          qasmDiagnostic('syntax_error', 'The `OPENQASM` version line must be the first statement.', stmt.span),
        );
        return stmt;
      }
      case 'include':
        return this.parseInclude();
      case 'qreg':
      case 'creg':
        return this.parseOldRegister(word);
      case 'qubit':
        return this.parseQubitDecl();
      case 'bit':
        return this.parseBitDecl();
      case 'const':
      case 'input':
      case 'output':
        return this.parseModifiedDecl(word);
      case 'gate':
      case 'opaque':
        return this.parseGateDef(word === 'opaque');
      case 'measure':
        return this.parseMeasure();
      case 'reset':
        return this.parseReset();
      case 'barrier':
        return this.parseBarrier();
      case 'if':
        return this.parseIf();
      case 'for':
        return this.parseFor();
      default:
        break;
    }
    if (CLASSICAL_TYPES.has(word)) return this.parseClassicalDecl('none', t.start);
    // identifier-led: assignment or gate call
    const n = this.peek(1);
    if (n.kind === 'op' && (n.text === '=' || n.text === '[' || /^(?:[-+*/%^&|]|\*\*|<<|>>)=$/.test(n.text))) {
      return this.parseAssignment();
    }
    if (n.kind === 'op' && n.text === '++') return this.skipUnsupported('`++` increments');
    return this.parseGateCall();
  }

  /** `@annotation …` lines (OpenQASM 3) are hints; they are skipped with the statement they annotate kept. */
  private parseAnnotated(): Statement {
    const at = this.next();
    const line = at.start.line;
    while (this.peek().kind !== 'eof' && this.peek().start.line === line) this.next();
    return this.parseStatement();
  }

  private parseScopeBlock(): Statement {
    const start = this.peek().start;
    const body = this.parseBlock();
    // A bare block is a scope; flatten it as `if (true)` so the lowering has one construct to handle.
    return {
      kind: 'if',
      condition: { kind: 'bool', value: true, span: span(start, start) },
      then: body,
      span: span(start, this.prevEnd()),
    };
  }

  private skipUnsupported(feature: string): Statement {
    const start = this.peek().start;
    let braces = 0;
    let parens = 0;
    while (this.peek().kind !== 'eof') {
      const t = this.next();
      if (t.kind !== 'op') continue;
      if (t.text === '(') parens++;
      else if (t.text === ')') parens--;
      else if (t.text === '{') braces++;
      else if (t.text === '}') {
        braces--;
        if (braces <= 0 && parens <= 0 && !this.at('else')) break;
      } else if (t.text === ';' && braces <= 0 && parens <= 0) break;
    }
    return { kind: 'unsupported', feature, span: span(start, this.prevEnd()) };
  }

  private parseInclude(): Statement {
    const start = this.next().start;
    const t = this.peek();
    if (t.kind !== 'string') this.fail('a quoted file name such as "qelib1.inc"');
    this.next();
    this.expect(';');
    return { kind: 'include', path: t.text.slice(1, -1), span: span(start, this.prevEnd()) };
  }

  private parseOldRegister(word: 'qreg' | 'creg'): Statement {
    const start = this.next().start;
    const name = this.ident('a register name');
    this.expect('[', '`[` and the register size');
    const size = this.parseExpr();
    this.expect(']');
    this.expect(';');
    const s = span(start, this.prevEnd());
    const nameSpan = span(name.start, name.end);
    return word === 'qreg'
      ? { kind: 'qubit_decl', name: name.text, size, style: 'qreg', nameSpan, span: s }
      : { kind: 'bit_decl', name: name.text, size, style: 'creg', nameSpan, span: s };
  }

  private parseOptionalWidth(): Expr | undefined {
    if (!this.eat('[')) return undefined;
    const e = this.parseExpr();
    this.expect(']');
    return e;
  }

  private parseQubitDecl(): Statement {
    const start = this.next().start;
    const size = this.parseOptionalWidth();
    const name = this.ident('a qubit register name');
    this.expect(';');
    const base = { kind: 'qubit_decl', name: name.text, style: 'qubit', nameSpan: span(name.start, name.end) } as const;
    const s = span(start, this.prevEnd());
    return size ? { ...base, size, span: s } : { ...base, span: s };
  }

  private parseBitDecl(): Statement {
    const start = this.next().start;
    const size = this.parseOptionalWidth();
    const name = this.ident('a bit register name');
    let init: Expr | undefined;
    if (this.eat('=')) init = this.parseExpr();
    this.expect(';');
    const s = span(start, this.prevEnd());
    return {
      kind: 'bit_decl',
      name: name.text,
      style: 'bit',
      nameSpan: span(name.start, name.end),
      span: s,
      ...(size ? { size } : {}),
      ...(init ? { init } : {}),
    };
  }

  private parseType(): TypeSpec {
    const t = this.ident('a type such as `float[64]`, `int` or `bit`');
    const width = this.parseOptionalWidth();
    const s = span(t.start, this.prevEnd());
    return width ? { name: t.text, width, span: s } : { name: t.text, span: s };
  }

  private parseModifiedDecl(word: 'const' | 'input' | 'output'): Statement {
    const start = this.next().start;
    if (this.at('bit') || this.at('qubit')) {
      // `output bit[2] c;` / `input bit b;`: the storage is an ordinary bit register here
      const stmt = this.at('bit') ? this.parseBitDecl() : this.parseQubitDecl();
      return word === 'input'
        ? { kind: 'unsupported', feature: '`input` bit and qubit declarations', span: stmt.span }
        : stmt;
    }
    return this.parseClassicalDecl(word, start);
  }

  private parseClassicalDecl(modifier: 'const' | 'input' | 'output' | 'none', start: Point): Statement {
    const type = this.parseType();
    if (!CLASSICAL_TYPES.has(type.name)) this.fail('a classical type (`int`, `uint`, `float`, `angle`, `bool`)');
    const name = this.ident('a variable name');
    let init: Expr | undefined;
    if (this.eat('=')) init = this.parseExpr();
    this.expect(';');
    return {
      kind: 'classical_decl',
      type,
      name: name.text,
      modifier,
      nameSpan: span(name.start, name.end),
      span: span(start, this.prevEnd()),
      ...(init ? { init } : {}),
    };
  }

  private parseGateDef(opaque: boolean): Statement {
    const start = this.next().start;
    const name = this.ident('a gate name');
    const params: { name: string; span: Span }[] = [];
    if (this.eat('(')) {
      if (!this.at(')')) {
        do {
          const p = this.ident('a parameter name');
          params.push({ name: p.text, span: span(p.start, p.end) });
        } while (this.eat(','));
      }
      this.expect(')', '`,` or `)`');
    }
    const qubits: { name: string; span: Span }[] = [];
    do {
      const q = this.ident('a qubit argument name');
      qubits.push({ name: q.text, span: span(q.start, q.end) });
    } while (this.eat(','));
    let body: Statement[] = [];
    if (opaque) this.expect(';');
    else body = this.parseBlock();
    return {
      kind: 'gate_def',
      name: name.text,
      params,
      qubits,
      body,
      opaque,
      nameSpan: span(name.start, name.end),
      span: span(start, this.prevEnd()),
    };
  }

  /** `{ statements }`; statement errors inside are recovered so that the block still closes. */
  private parseBlock(): Statement[] {
    this.expect('{');
    this.enter();
    const body: Statement[] = [];
    while (!this.at('}')) {
      if (this.peek().kind === 'eof') this.fail('`}`');
      const before = this.pos;
      const stmt = this.guard(() => this.parseStatement());
      if (stmt) body.push(stmt);
      if (this.pos === before) this.pos++;
    }
    this.next();
    this.depth--;
    return body;
  }

  private parseBody(): Statement[] {
    if (this.at('{')) return this.parseBlock();
    this.enter();
    const stmt = this.parseStatement();
    this.depth--;
    return [stmt];
  }

  private parseMeasure(): Statement {
    const start = this.next().start;
    const operand = this.parseOperand('a qubit or register to measure');
    let target: Operand | undefined;
    if (this.eat('->')) target = this.parseOperand('a bit or bit register');
    this.expect(';', target ? '`;`' : '`->` or `;`');
    const s = span(start, this.prevEnd());
    return target ? { kind: 'measure', operand, target, span: s } : { kind: 'measure', operand, span: s };
  }

  private parseReset(): Statement {
    const start = this.next().start;
    const operand = this.parseOperand('a qubit or register to reset');
    this.expect(';');
    return { kind: 'reset', operand, span: span(start, this.prevEnd()) };
  }

  private parseBarrier(): Statement {
    const start = this.next().start;
    const operands: Operand[] = [];
    if (!this.at(';')) {
      do operands.push(this.parseOperand('a qubit or register'));
      while (this.eat(','));
    }
    this.expect(';', '`,` or `;`');
    return { kind: 'barrier', operands, span: span(start, this.prevEnd()) };
  }

  private parseIf(): Statement {
    const start = this.next().start;
    this.expect('(', '`(` after `if`');
    const condition = this.parseExpr();
    this.expect(')', '`)` closing the condition');
    const then = this.parseBody();
    let otherwise: Statement[] | undefined;
    if (this.eat('else')) otherwise = this.parseBody();
    const s = span(start, this.prevEnd());
    return otherwise
      ? { kind: 'if', condition, then, else: otherwise, span: s }
      : { kind: 'if', condition, then, span: s };
  }

  private parseFor(): Statement {
    const start = this.next().start;
    let varType: TypeSpec | undefined;
    if (this.peek(1).kind === 'ident' && !this.at('in', 1)) varType = this.parseType();
    else if (this.at('[', 1)) varType = this.parseType();
    const variable = this.ident('a loop variable name');
    this.expect('in', '`in`');
    let iterable: IndexItem | { kind: 'expr'; expr: Expr; span: Span };
    const itStart = this.peek().start;
    if (this.at('[')) {
      this.next();
      iterable = this.parseIndexItem();
      this.expect(']');
    } else if (this.at('{')) {
      iterable = this.parseSet();
    } else {
      const expr = this.parseExpr();
      iterable = { kind: 'expr', expr, span: span(itStart, this.prevEnd()) };
    }
    const body = this.parseBody();
    const s = span(start, this.prevEnd());
    return varType
      ? { kind: 'for', variable: variable.text, varType, iterable, body, span: s }
      : { kind: 'for', variable: variable.text, iterable, body, span: s };
  }

  private parseAssignment(): Statement {
    const start = this.peek().start;
    const target = this.parseOperand('a variable or bit');
    const opTok = this.next();
    if (opTok.kind !== 'op' || !opTok.text.endsWith('=')) this.fail('`=`', opTok);
    const value = this.parseExpr();
    this.expect(';');
    return { kind: 'assign', target, op: opTok.text, value, span: span(start, this.prevEnd()) };
  }

  private parseModifiers(): Modifier[] {
    const modifiers: Modifier[] = [];
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'ident' || !['ctrl', 'negctrl', 'inv', 'pow'].includes(t.text)) break;
      if (!this.at('@', 1) && !this.at('(', 1)) break;
      this.next();
      let arg: Expr | undefined;
      if (this.eat('(')) {
        arg = this.parseExpr();
        this.expect(')');
      }
      this.expect('@', '`@` after a gate modifier');
      const s = span(t.start, this.prevEnd());
      if (t.text === 'inv') {
        if (arg) this.fail('`inv @` without an argument', t);
        modifiers.push({ kind: 'inv', span: s });
      } else if (t.text === 'pow') {
        if (!arg) this.fail('`pow(exponent) @`', t);
        modifiers.push({ kind: 'pow', exponent: arg, span: s });
      } else {
        const kind = t.text === 'ctrl' ? 'ctrl' : 'negctrl';
        modifiers.push(arg ? { kind, count: arg, span: s } : { kind, span: s });
      }
    }
    return modifiers;
  }

  private parseGateCall(): Statement {
    const start = this.peek().start;
    const modifiers = this.parseModifiers();
    const name = this.peek();
    if (name.kind === 'hardware') return this.skipUnsupported('physical qubits (`$n`)');
    if (name.kind !== 'ident') this.fail(modifiers.length > 0 ? 'a gate name after `@`' : 'a statement');
    this.next();
    const args: Expr[] = [];
    if (this.eat('(')) {
      if (!this.at(')')) {
        do args.push(this.parseExpr());
        while (this.eat(','));
      }
      this.expect(')', '`,` or `)`');
    }
    const operands: Operand[] = [];
    if (!this.at(';')) {
      do operands.push(this.parseOperand('a qubit operand'));
      while (this.eat(','));
    }
    this.expect(';', '`,` or `;`');
    return {
      kind: 'gate_call',
      modifiers,
      name: name.text,
      args,
      operands,
      nameSpan: span(name.start, name.end),
      span: span(start, this.prevEnd()),
    };
  }

  private parseOperand(expected: string): Operand {
    const t = this.peek();
    if (t.kind === 'hardware') {
      throw new ParseFail(
        qasmDiagnostic(
          'unsupported_feature',
          'Physical qubits (`$n`) are not supported by this simulator; declare a `qubit[n]` register instead.',
          span(t.start, t.end),
        ),
      );
    }
    const name = this.ident(expected);
    if (this.eat('[')) {
      const index = this.parseIndexItem();
      if (this.at(',')) this.fail('`]` (multi-dimensional indices are not supported)');
      this.expect(']');
      if (this.at('[')) this.fail('`;` or `,` (multi-dimensional indices are not supported)');
      return { name: name.text, index, span: span(name.start, this.prevEnd()) };
    }
    return { name: name.text, span: span(name.start, name.end) };
  }

  private parseSet(): IndexItem {
    const start = this.expect('{').start;
    const items: Expr[] = [];
    if (!this.at('}')) {
      do items.push(this.parseExpr());
      while (this.eat(','));
    }
    this.expect('}', '`,` or `}`');
    return { kind: 'set', items, span: span(start, this.prevEnd()) };
  }

  /** Inside `[…]`: an index, a range `a:b` / `a:s:b` (either end may be omitted) or a set `{…}`. */
  private parseIndexItem(): IndexItem {
    if (this.at('{')) return this.parseSet();
    const start = this.peek().start;
    const first = this.at(':') ? undefined : this.parseExpr();
    if (!this.eat(':')) {
      if (!first) this.fail('an index');
      return { kind: 'single', expr: first, span: span(start, this.prevEnd()) };
    }
    const second = this.at(']') || this.at(':') ? undefined : this.parseExpr();
    let third: Expr | undefined;
    let hasStep = false;
    if (this.eat(':')) {
      hasStep = true;
      third = this.at(']') ? undefined : this.parseExpr();
    }
    const s = span(start, this.prevEnd());
    const startExpr = first;
    const stepExpr = hasStep ? second : undefined;
    const endExpr = hasStep ? third : second;
    return {
      kind: 'range',
      span: s,
      ...(startExpr ? { start: startExpr } : {}),
      ...(stepExpr ? { step: stepExpr } : {}),
      ...(endExpr ? { end: endExpr } : {}),
    };
  }

  // --- expressions (precedence climbing; OpenQASM 3 §"Evaluation order and precedence") ---

  private binaryPrecedence(op: string): number {
    switch (op) {
      case '||':
        return 1;
      case '&&':
        return 2;
      case '|':
        return 3;
      case '^':
        return this.qasm2 ? -1 : 4;
      case '&':
        return 5;
      case '==':
      case '!=':
        return 6;
      case '<':
      case '<=':
      case '>':
      case '>=':
        return 7;
      case '<<':
      case '>>':
        return 8;
      case '+':
      case '-':
        return 9;
      case '*':
      case '/':
      case '%':
        return 10;
      default:
        return -1;
    }
  }

  parseExpr(minPrec = 1): Expr {
    this.enter();
    let left = this.parseUnary();
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'op') break;
      const prec = this.binaryPrecedence(t.text);
      if (prec < minPrec) break;
      this.next();
      const right = this.parseExpr(prec + 1);
      left = { kind: 'binary', op: t.text, left, right, span: span(left.span.start, right.span.end) };
    }
    this.depth--;
    return left;
  }

  private parseUnary(): Expr {
    const t = this.peek();
    if (t.kind === 'op' && (t.text === '-' || t.text === '+' || t.text === '!' || t.text === '~')) {
      this.next();
      this.enter();
      const operand = this.parseUnary();
      this.depth--;
      return { kind: 'unary', op: t.text, operand, span: span(t.start, operand.span.end) };
    }
    return this.parsePower();
  }

  /** `a ** b` (and `a ^ b` in OpenQASM 2) binds tighter than unary minus on its left and is right-associative. */
  private parsePower(): Expr {
    const base = this.parsePrimary();
    const t = this.peek();
    if (t.kind === 'op' && (t.text === '**' || (t.text === '^' && this.qasm2))) {
      this.next();
      this.enter();
      const exponent = this.parseUnary();
      this.depth--;
      return { kind: 'binary', op: '**', left: base, right: exponent, span: span(base.span.start, exponent.span.end) };
    }
    return base;
  }

  private parsePrimary(): Expr {
    const t = this.peek();
    if (t.kind === 'int' || t.kind === 'float') {
      this.next();
      const value = Number(t.text.replace(/_/g, ''));
      if (this.at('im') || this.at('ns') || this.at('us') || this.at('ms') || this.at('dt') || this.at('s')) {
        const unit = this.next();
        throw new ParseFail(
          qasmDiagnostic(
            'unsupported_feature',
            unit.text === 'im'
              ? 'Complex literals are not supported by this simulator.'
              : 'Duration literals are not supported by this simulator.',
            span(t.start, unit.end),
          ),
        );
      }
      return { kind: 'number', value, isInt: t.kind === 'int', span: span(t.start, t.end) };
    }
    if (t.kind === 'op' && t.text === '(') {
      this.next();
      const inner = this.parseExpr();
      this.expect(')', '`)`');
      return inner;
    }
    if (t.kind === 'ident') {
      this.next();
      if (t.text === 'true' || t.text === 'false')
        return { kind: 'bool', value: t.text === 'true', span: span(t.start, t.end) };
      if (t.text === 'measure') {
        const operand = this.parseOperand('a qubit or register to measure');
        return { kind: 'measure', operand, span: span(t.start, this.prevEnd()) };
      }
      if (this.at('[') && CLASSICAL_TYPES.has(t.text)) {
        // sized cast such as `float[64](x)`: the width does not change the value here
        this.next();
        this.parseExpr();
        this.expect(']');
      }
      if (this.eat('(')) {
        const args: Expr[] = [];
        if (!this.at(')')) {
          do args.push(this.parseExpr());
          while (this.eat(','));
        }
        this.expect(')', '`,` or `)`');
        return { kind: 'call', name: t.text, args, span: span(t.start, this.prevEnd()) };
      }
      if (this.eat('[')) {
        const index = this.parseIndexItem();
        this.expect(']');
        return { kind: 'index', name: t.text, index, span: span(t.start, this.prevEnd()) };
      }
      return { kind: 'ident', name: t.text, span: span(t.start, t.end) };
    }
    this.fail('an expression', t);
  }
}
