/**
 * Regular expressions for JSON Schema `pattern` and `patternProperties`, matched in time linear in the string.
 * A document's own schemas are applied to values its own blocks produce, so a pattern such as `^(a+)+$` against
 * "aaaa…!" would hold the gateway's event loop for minutes with V8's backtracking engine; even a plain `a*b`
 * searched in a long run of `a` is quadratic there. Ajv takes the engine as an option (`code.regExp`), and this
 * is one that cannot backtrack: the pattern becomes a Thompson automaton and `test` runs every thread of it in
 * step over the string (Thompson, "Regular Expression Search Algorithm", CACM 1968; Cox, "Regular Expression
 * Matching Can Be Simple And Fast", 2007), so the work is at most the string's length times the automaton's size.
 *
 * Nothing suitable is among the project's dependencies (RE2 bindings are native code), so it is written here,
 * for the ECMAScript syntax JSON Schema uses (draft 2020-12 §6.4: ECMA-262 regular expressions). Syntax is
 * validated by the native `RegExp` first. Characters, classes, escapes and `.` are decided by the native engine
 * one character at a time (a one-character expression cannot backtrack); the structure (alternation, groups,
 * quantifiers, anchors, `\b`) is this automaton's. Backreferences and lookaround have no linear-time automaton:
 * a pattern using them is refused with a message that says so.
 */

/** What Ajv calls: `test` on strings, and `toString` as a cache key. */
export interface LinearRegExp {
  readonly source: string;
  readonly flags: string;
  test(text: string): boolean;
  toString(): string;
}

/** Most automaton states a pattern may expand to (counted repetition copies its operand). */
export const MAX_STATES = 20_000;

/** Automaton state kinds. */
const Op = {
  Char: 0,
  Pred: 1,
  Split: 2,
  Jump: 3,
  Start: 4,
  End: 5,
  WordBoundary: 6,
  NotWordBoundary: 7,
  Match: 8,
} as const;
type Op = (typeof Op)[keyof typeof Op];

class PatternError extends Error {}

/** A piece of automaton: its first state and the exits still to connect. */
interface Frag {
  readonly start: number;
  /** States whose `out1` (or, encoded as `-state - 1`, a Split's `out2`) still point nowhere. */
  readonly outs: number[];
}

class Builder {
  readonly op: Op[] = [];
  readonly arg: number[] = [];
  readonly out1: number[] = [];
  readonly out2: number[] = [];

  add(op: Op, arg = 0): number {
    if (this.op.length >= MAX_STATES)
      throw new PatternError(`the pattern expands to more than ${MAX_STATES} states; write a shorter one`);
    this.op.push(op);
    this.arg.push(arg);
    this.out1.push(-1);
    this.out2.push(-1);
    return this.op.length - 1;
  }

  patch(outs: readonly number[], to: number): void {
    for (const o of outs) {
      if (o >= 0) this.out1[o] = to;
      else this.out2[-o - 1] = to;
    }
  }
}

/** A one-character predicate decided by the native engine, with the ASCII answers computed once. */
class CharTest {
  readonly #re: RegExp;
  readonly #ascii = new Int8Array(128).fill(-1);

  constructor(source: string, flags: string) {
    this.#re = new RegExp(`^(?:${source})$`, flags);
  }

  test(cp: number): boolean {
    if (cp < 128) {
      let known = this.#ascii[cp] as number;
      if (known === -1) {
        known = this.#re.test(String.fromCharCode(cp)) ? 1 : 0;
        this.#ascii[cp] = known;
      }
      return known === 1;
    }
    return this.#re.test(String.fromCodePoint(cp));
  }
}

const SYNTAX = '^$\\.*+?()[]{}|';

class Parser {
  i = 0;
  readonly b = new Builder();
  readonly preds: CharTest[] = [];

  constructor(
    readonly src: string,
    readonly flags: string,
  ) {}

  get unicode(): boolean {
    return this.flags.includes('u');
  }

  peek(): string {
    return this.src[this.i] ?? '';
  }

  /** Disjunction := Alternative ('|' Alternative)* */
  disjunction(depth: number): Frag {
    if (depth > 500) throw new PatternError('the pattern nests groups more than 500 deep');
    let frag = this.alternative(depth);
    while (this.peek() === '|') {
      this.i++;
      const right = this.alternative(depth);
      const split = this.b.add(Op.Split);
      this.b.out1[split] = frag.start;
      this.b.out2[split] = right.start;
      frag = { start: split, outs: [...frag.outs, ...right.outs] };
    }
    return frag;
  }

  alternative(depth: number): Frag {
    let frag: Frag | undefined;
    while (this.i < this.src.length && this.peek() !== '|' && this.peek() !== ')') {
      const term = this.term(depth);
      if (!frag) frag = term;
      else {
        this.b.patch(frag.outs, term.start);
        frag = { start: frag.start, outs: term.outs };
      }
    }
    if (frag) return frag;
    const empty = this.b.add(Op.Jump);
    return { start: empty, outs: [empty] };
  }

  term(depth: number): Frag {
    const c = this.peek();
    if (c === '^' || c === '$') {
      this.i++;
      const s = this.b.add(c === '^' ? Op.Start : Op.End);
      return { start: s, outs: [s] };
    }
    if (c === '\\' && (this.src[this.i + 1] === 'b' || this.src[this.i + 1] === 'B')) {
      const s = this.b.add(this.src[this.i + 1] === 'b' ? Op.WordBoundary : Op.NotWordBoundary);
      this.i += 2;
      return { start: s, outs: [s] };
    }
    // An atom is compiled again for each copy a counted quantifier needs, so remember where it starts.
    const atomStart = this.i;
    let frag = this.atom(depth);
    const quant = this.quantifier();
    if (!quant) return frag;
    const { min, max } = quant;
    const again = (): Frag => {
      const saved = this.i;
      this.i = atomStart;
      const copy = this.atom(depth);
      this.i = saved;
      return copy;
    };
    // min copies in sequence, then (max - min) optional copies, or a loop when unbounded.
    const parts: Frag[] = [];
    for (let k = 0; k < min; k++) parts.push(k === 0 ? frag : again());
    if (max === Infinity) {
      const body = min === 0 ? frag : again();
      const split = this.b.add(Op.Split);
      this.b.out1[split] = body.start;
      this.b.patch(body.outs, split);
      parts.push({ start: split, outs: [-split - 1] });
    } else {
      for (let k = min; k < max; k++) {
        const body = k === 0 ? frag : again();
        const split = this.b.add(Op.Split);
        this.b.out1[split] = body.start;
        parts.push({ start: split, outs: [...body.outs, -split - 1] });
      }
    }
    if (parts.length === 0) {
      const empty = this.b.add(Op.Jump);
      return { start: empty, outs: [empty] };
    }
    frag = parts[0] as Frag;
    for (let k = 1; k < parts.length; k++) {
      const next = parts[k] as Frag;
      this.b.patch(frag.outs, next.start);
      frag = { start: frag.start, outs: next.outs };
    }
    return frag;
  }

  quantifier(): { min: number; max: number } | undefined {
    const c = this.peek();
    let min: number;
    let max: number;
    if (c === '*') [min, max] = [0, Infinity];
    else if (c === '+') [min, max] = [1, Infinity];
    else if (c === '?') [min, max] = [0, 1];
    else if (c === '{') {
      const m = /^\{(\d+)(?:(,)(\d*))?\}/.exec(this.src.slice(this.i, this.i + 24));
      if (!m) return undefined;
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      this.i += m[0].length - 1;
    } else return undefined;
    this.i++;
    if (this.peek() === '?') this.i++; // lazy or greedy: the same for `test`
    if (min > MAX_STATES || (max !== Infinity && max > MAX_STATES))
      throw new PatternError(`a repetition count over ${MAX_STATES} is too large to check`);
    return { min, max };
  }

  atom(depth: number): Frag {
    const c = this.peek();
    if (c === '(') {
      this.i++;
      if (this.src.startsWith('?:', this.i)) this.i += 2;
      else if (this.src.startsWith('?=', this.i) || this.src.startsWith('?!', this.i))
        throw new PatternError(
          'lookahead (`(?=`, `(?!`) cannot be matched in linear time; rewrite the pattern without it',
        );
      else if (this.src.startsWith('?<=', this.i) || this.src.startsWith('?<!', this.i))
        throw new PatternError(
          'lookbehind (`(?<=`, `(?<!`) cannot be matched in linear time; rewrite the pattern without it',
        );
      else if (this.src.startsWith('?<', this.i)) this.i = this.src.indexOf('>', this.i) + 1;
      const inner = this.disjunction(depth + 1);
      if (this.peek() !== ')') throw new PatternError('unbalanced parenthesis');
      this.i++;
      return inner;
    }
    if (c === '[') return this.pred(this.classEnd());
    if (c === '.') return this.pred(this.i + 1);
    if (c === '\\') return this.escape();
    // A literal character (a whole code point under the `u` flag).
    const cp = this.unicode ? (this.src.codePointAt(this.i) as number) : this.src.charCodeAt(this.i);
    // Without the `u` flag a `{`, `}` or `]` that starts nothing is a literal, as in ECMAScript's Annex B.
    if (SYNTAX.includes(c) && (this.unicode || !'{}]'.includes(c))) throw new PatternError(`unexpected \`${c}\``);
    this.i += cp > 0xffff ? 2 : 1;
    const s = this.b.add(Op.Char, cp);
    return { start: s, outs: [s] };
  }

  /** Index just past the class that starts at `[` (an unescaped `]` ends it; `[]` and `[^]` are whole classes). */
  classEnd(): number {
    let j = this.i + 1;
    if (this.src[j] === '^') j++;
    while (j < this.src.length && this.src[j] !== ']') j += this.src[j] === '\\' ? 2 : 1;
    if (j >= this.src.length) throw new PatternError('unclosed character class');
    return j + 1;
  }

  escape(): Frag {
    const next = this.src[this.i + 1] ?? '';
    if (/[1-9]/.test(next) || (next === 'k' && this.src[this.i + 2] === '<'))
      throw new PatternError('backreferences cannot be matched in linear time; rewrite the pattern without them');
    let end = this.i + 2;
    if ((next === 'p' || next === 'P' || next === 'u') && this.src[end] === '{') end = this.src.indexOf('}', end) + 1;
    else if (next === 'u') end += 4;
    else if (next === 'x') end += 2;
    else if (next === 'c') end += 1;
    if (end <= this.i) throw new PatternError('unfinished escape');
    return this.pred(end);
  }

  /** The text from here to `end` as one native one-character predicate. */
  pred(end: number): Frag {
    const test = new CharTest(this.src.slice(this.i, end), this.flags);
    this.i = end;
    this.preds.push(test);
    const s = this.b.add(Op.Pred, this.preds.length - 1);
    return { start: s, outs: [s] };
  }
}

function isWordChar(cp: number): boolean {
  return (cp >= 48 && cp <= 57) || (cp >= 65 && cp <= 90) || (cp >= 97 && cp <= 122) || cp === 95;
}

class Automaton implements LinearRegExp {
  readonly #op: readonly Op[];
  readonly #arg: readonly number[];
  readonly #out1: readonly number[];
  readonly #out2: readonly number[];
  readonly #preds: readonly CharTest[];
  readonly #start: number;

  constructor(
    readonly source: string,
    readonly flags: string,
  ) {
    // Syntax as ECMAScript defines it (and the error message people know) comes from the native engine; compiling
    // a pattern does not run it.
    new RegExp(source, flags);
    const p = new Parser(source, flags);
    const frag = p.disjunction(0);
    if (p.i < source.length) throw new PatternError(`unexpected \`${source[p.i] ?? ''}\``);
    const match = p.b.add(Op.Match);
    p.b.patch(frag.outs, match);
    this.#op = p.b.op;
    this.#arg = p.b.arg;
    this.#out1 = p.b.out1;
    this.#out2 = p.b.out2;
    this.#preds = p.preds;
    this.#start = frag.start;
  }

  toString(): string {
    return `/${this.source}/${this.flags}`;
  }

  /**
   * Whether the pattern matches anywhere in `text`: a thread starts at every position; each step keeps one
   * thread per state, so the work per character is bounded by the number of states.
   */
  test(text: string): boolean {
    const n = this.#op.length;
    const unicode = this.flags.includes('u');
    // `moved`: the states threads reached by the last character; `live`: their closure at this position.
    const moved = new Int32Array(n);
    const live = new Int32Array(n);
    let movedCount = 0;
    // onList[s] === mark when state s is already in `live` for this position.
    const onList = new Int32Array(n).fill(-1);
    const stack = new Int32Array(2 * n + 2);
    let mark = 0;
    let prev = -1;
    let pos = 0;
    for (;;) {
      const atEnd = pos >= text.length;
      const cp = atEnd ? -1 : unicode ? (text.codePointAt(pos) as number) : text.charCodeAt(pos);
      const boundary = (prev !== -1 && isWordChar(prev)) !== (cp !== -1 && isWordChar(cp));
      // The closure of the moved threads and of a new thread at the start state, deciding the assertions of
      // this position; every state enters `live` at most once.
      mark++;
      let liveCount = 0;
      for (let k = 0; k <= movedCount; k++) {
        let top = 0;
        stack[top++] = k < movedCount ? (moved[k] as number) : this.#start;
        while (top > 0) {
          const s = stack[--top] as number;
          if (s < 0 || onList[s] === mark) continue;
          onList[s] = mark;
          const out = this.#out1[s] as number;
          switch (this.#op[s]) {
            case Op.Jump:
              stack[top++] = out;
              break;
            case Op.Split:
              stack[top++] = this.#out2[s] as number;
              stack[top++] = out;
              break;
            case Op.Start:
              if (pos === 0) stack[top++] = out;
              break;
            case Op.End:
              if (atEnd) stack[top++] = out;
              break;
            case Op.WordBoundary:
              if (boundary) stack[top++] = out;
              break;
            case Op.NotWordBoundary:
              if (!boundary) stack[top++] = out;
              break;
            case Op.Match:
              return true;
            default:
              live[liveCount++] = s;
          }
        }
      }
      if (atEnd) return false;
      movedCount = 0;
      for (let k = 0; k < liveCount; k++) {
        const s = live[k] as number;
        const ok =
          this.#op[s] === Op.Char ? this.#arg[s] === cp : (this.#preds[this.#arg[s] as number] as CharTest).test(cp);
        if (ok) moved[movedCount++] = this.#out1[s] as number;
      }
      prev = cp;
      pos += cp > 0xffff ? 2 : 1;
    }
  }
}

/**
 * Ajv's `code.regExp`: compiles `pattern` with `flags` into a linear-time matcher. Throws (a SyntaxError-like
 * Error with a message a person can act on) for a pattern it cannot take; Ajv reports that as a schema error.
 */
export function linearRegExp(pattern: string, flags: string): LinearRegExp {
  try {
    return new Automaton(pattern, flags);
  } catch (error) {
    if (error instanceof RangeError)
      throw new Error(`pattern ${JSON.stringify(pattern)} nests too deeply to check`, { cause: error });
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`pattern ${JSON.stringify(pattern)}: ${message}`, { cause: error });
  }
}
/** Ajv writes this name into standalone code; this project compiles schemas at run time only. */
linearRegExp.code = 'linearRegExp';
