/**
 * The line structure Stim's two text formats share: one instruction per line, `NAME(args) targets`, `#` comments,
 * and `repeat`/`REPEAT n {` … `}` blocks. Reading gives the instructions with their repeat bodies, and every
 * structure problem (a brace that closes nothing, an unclosed block, nesting deeper than the limit, arguments that
 * are not numbers) as a diagnostic at its line. The DEM and circuit readers give their meaning to the lines.
 */
import type { Diagnostic } from '../shared/diagnostic.js';
import { parseArgs, QEC_LIMITS, qecDiagnostic, stripComment, type QecSource } from './diagnostics.js';

export interface InstructionLine {
  /** 1-based line number. */
  readonly no: number;
  /** The instruction's name, in the format's case (`error`, `CX`). */
  readonly name: string;
  readonly args: readonly number[];
  readonly targets: readonly string[];
  /** Body of a repeat block. */
  readonly body?: readonly InstructionLine[];
}

export interface LineFormat {
  readonly source: QecSource;
  /** The repeat keyword as the format writes it, which is also the case names are folded to. */
  readonly repeat: 'repeat' | 'REPEAT';
  /** Instruction head: name, then (optionally) a parenthesised argument list, then the targets. */
  readonly head: RegExp;
  /** Stop reading after this many diagnostics (a file of garbage is not worth a million of them). */
  readonly maxDiagnostics?: number;
}

export function readInstructionLines(text: string, format: LineFormat, diags: Diagnostic[]): InstructionLine[] {
  const { source, repeat } = format;
  const fold = (name: string): string => (repeat === 'repeat' ? name.toLowerCase() : name.toUpperCase());
  const limit = format.maxDiagnostics ?? Number.POSITIVE_INFINITY;
  const root: InstructionLine[] = [];
  const stack: { lines: InstructionLine[]; no: number }[] = [{ lines: root, no: 0 }];
  const rows = text.split('\n');
  for (let i = 0; i < rows.length && diags.length < limit; i++) {
    const no = i + 1;
    let t = stripComment(rows[i] ?? '');
    if (t === '') continue;
    const top = stack[stack.length - 1] as { lines: InstructionLine[]; no: number };
    if (t === '}') {
      if (stack.length === 1)
        diags.push(qecDiagnostic(source, 'unmatched_brace', `a '}' closes no ${repeat} block`, no));
      else stack.pop();
      continue;
    }
    const opens = t.endsWith('{');
    if (opens) t = t.slice(0, -1).trim();
    const m = format.head.exec(t);
    if (!m) {
      diags.push(qecDiagnostic(source, 'bad_syntax', `cannot read '${t.slice(0, 60)}'`, no));
      continue;
    }
    const name = fold(m[1] ?? '');
    const args = parseArgs(m[2] ?? '');
    if (!args) {
      diags.push(qecDiagnostic(source, 'bad_argument', `'${name}' has arguments that are not numbers: (${m[2]})`, no));
      continue;
    }
    const targets = (m[3] ?? '').split(/\s+/).filter((s) => s !== '');
    if (name === repeat) {
      if (!opens) {
        diags.push(qecDiagnostic(source, 'bad_repeat', `'${repeat}' needs a count and a '{' on the same line`, no));
        continue;
      }
      const body: InstructionLine[] = [];
      top.lines.push({ no, name, args, targets, body });
      if (stack.length > QEC_LIMITS.maxDepth) {
        diags.push(qecDiagnostic(source, 'too_deep', `${repeat} blocks nest deeper than ${QEC_LIMITS.maxDepth}`, no));
        return root;
      }
      stack.push({ lines: body, no });
      continue;
    }
    if (opens) {
      diags.push(qecDiagnostic(source, 'bad_syntax', `only '${repeat}' opens a block, not '${name}'`, no));
      continue;
    }
    top.lines.push({ no, name, args, targets });
  }
  if (stack.length > 1) {
    const open = stack[stack.length - 1] as { no: number };
    diags.push(qecDiagnostic(source, 'unclosed_repeat', `this ${repeat} block has no closing '}'`, open.no));
  }
  return root;
}
