/**
 * Lowering of declarations and assignments: qubit and bit registers, classical scalars and `input` parameters
 * (bound from the caller's bindings), compile-time assignments, and `measure` in both spellings.
 */
/* eslint-disable @typescript-eslint/no-non-null-assertion -- indices here are in range by construction (loop bounds,
   matrix dimensions, checked lookups); noUncheckedIndexedAccess would otherwise make every array read optional. */
import type { Span } from '../../shared/diagnostic.js';
import type { Expr, Operand, Statement } from './ast.js';
import { qasmDiagnostic } from './codes.js';
import { evaluate } from './expressions.js';
import { MAX_QUBITS } from './limits.js';
import type { RegisterInfo } from './operands.js';
import { num } from './value.js';
import type { Value } from './value.js';
import type { LowerContext } from './lower-context.js';
import { coerce, nameOfType } from './lower-context.js';

export function registerDecl(ctx: LowerContext, stmt: Extract<Statement, { kind: 'qubit_decl' | 'bit_decl' }>): void {
  const isQubit = stmt.kind === 'qubit_decl';
  if (!ctx.requireGlobal(isQubit ? 'Declaring qubits' : 'Declaring bits', stmt.span)) return;
  if (!ctx.checkNewName(stmt.name, stmt.nameSpan)) return;
  let size = 1;
  if (stmt.size) {
    const v = evaluate(stmt.size, ctx.env);
    if (!v) return;
    if (!Number.isInteger(v.v) || v.v < 1) {
      ctx.report(
        qasmDiagnostic(
          'invalid_register_size',
          `A register size must be a positive integer, not ${v.v}.`,
          stmt.size.span,
        ),
      );
      return;
    }
    size = v.v;
  }
  const total = (isQubit ? ctx.numQubits : ctx.numClbits) + size;
  if (total > MAX_QUBITS) {
    ctx.report(
      qasmDiagnostic(
        'too_many_qubits',
        `This declaration brings the program to ${total} ${isQubit ? 'qubits' : 'bits'}; at most ${MAX_QUBITS} are supported.`,
        stmt.span,
      ),
    );
    return;
  }
  const info: RegisterInfo = {
    name: stmt.name,
    start: isQubit ? ctx.numQubits : ctx.numClbits,
    size,
    single: !stmt.size && stmt.style !== 'qreg' && stmt.style !== 'creg',
    span: stmt.nameSpan,
  };
  if (isQubit) {
    ctx.qubitRegs.set(stmt.name, info);
    ctx.numQubits += size;
  } else {
    ctx.bitRegs.set(stmt.name, info);
    ctx.numClbits += size;
    if (stmt.init) {
      if (stmt.init.kind === 'measure')
        measure(ctx, stmt.init.operand, { name: stmt.name, span: stmt.nameSpan }, stmt.span);
      else
        ctx.report(
          qasmDiagnostic(
            'unsupported_feature',
            'Initialising bits with a value is not supported by this simulator; bits are written by `measure`.',
            stmt.init.span,
          ),
        );
    }
  }
}

export function classicalDecl(ctx: LowerContext, stmt: Extract<Statement, { kind: 'classical_decl' }>): void {
  const type = nameOfType(stmt.type.name);
  if (!type) {
    ctx.report(
      qasmDiagnostic(
        'unsupported_feature',
        `\`${stmt.type.name}\` variables are not supported by this simulator.`,
        stmt.type.span,
      ),
    );
    return;
  }
  if (!ctx.checkNewName(stmt.name, stmt.nameSpan)) return;
  let value: Value = num(0, type);
  if (stmt.modifier === 'input') {
    if (!ctx.requireGlobal('An `input` declaration', stmt.span)) return;
    ctx.inputs.add(stmt.name);
    const bound = ctx.options.bindings?.[stmt.name];
    if (bound === undefined || typeof bound !== 'number' || !Number.isFinite(bound)) {
      ctx.report(
        qasmDiagnostic(
          'missing_input_binding',
          `Input \`${stmt.name}\` has no value; bind it (CLI: \`--input ${stmt.name}=<number>\`).`,
          stmt.nameSpan,
        ),
      );
    } else if (type === 'float') {
      value = num(bound, 'float', { [stmt.name]: 1 });
      ctx.parameters.push(stmt.name);
    } else if (type === 'int' && !Number.isInteger(bound)) {
      ctx.report(
        qasmDiagnostic(
          'type_error',
          `Input \`${stmt.name}\` is an integer, but it was bound to ${bound}.`,
          stmt.nameSpan,
        ),
      );
    } else {
      value = coerce(num(bound, type), type);
    }
  } else if (stmt.init) {
    if (stmt.init.kind === 'measure') {
      ctx.report(qasmDiagnostic('type_error', '`measure` results can only be stored in bits.', stmt.init.span));
      return;
    }
    const v = evaluate(stmt.init, ctx.env);
    if (!v) return;
    value = coerce(v, type);
  } else if (stmt.modifier === 'const') {
    ctx.report(
      qasmDiagnostic(
        'syntax_error',
        `Constant \`${stmt.name}\` needs a value (\`const ${stmt.type.name} ${stmt.name} = …;\`).`,
        stmt.span,
      ),
    );
    return;
  }
  ctx.scopes[ctx.scopes.length - 1]!.set(stmt.name, {
    value,
    isConst: stmt.modifier === 'const' || stmt.modifier === 'input',
    type,
    depth: ctx.runtimeDepth,
  });
}

export function assign(ctx: LowerContext, stmt: Extract<Statement, { kind: 'assign' }>): void {
  if (stmt.value.kind === 'measure') {
    if (stmt.op !== '=') {
      ctx.report(
        qasmDiagnostic('syntax_error', `Expected \`=\` before \`measure\` but found \`${stmt.op}\`.`, stmt.span),
      );
      return;
    }
    measure(ctx, stmt.value.operand, stmt.target, stmt.span);
    return;
  }
  if (ctx.bitRegs.has(stmt.target.name) && !ctx.lookupVariable(stmt.target.name)) {
    ctx.report(
      qasmDiagnostic(
        'unsupported_feature',
        'Assigning values to bits is not supported by this simulator; bits are written by `measure`.',
        stmt.span,
      ),
    );
    return;
  }
  const variable = ctx.lookupVariable(stmt.target.name);
  if (!variable) {
    ctx.report(qasmDiagnostic('undeclared_identifier', `\`${stmt.target.name}\` is not declared.`, stmt.target.span));
    return;
  }
  if (stmt.target.index) {
    ctx.report(
      qasmDiagnostic(
        'unsupported_feature',
        'Assigning to bits of an integer is not supported by this simulator.',
        stmt.span,
      ),
    );
    return;
  }
  if (variable.isConst) {
    ctx.report(
      qasmDiagnostic(
        'type_error',
        `\`${stmt.target.name}\` is a constant or loop variable and cannot be assigned.`,
        stmt.target.span,
      ),
    );
    return;
  }
  if (ctx.runtimeDepth > variable.depth) {
    ctx.report(
      qasmDiagnostic(
        'unsupported_feature',
        'Changing a classical variable inside an `if` on measured bits is not supported by this simulator.',
        stmt.span,
      ),
    );
    return;
  }
  const rhs: Expr =
    stmt.op === '='
      ? stmt.value
      : {
          kind: 'binary',
          op: stmt.op === '**=' ? '**' : stmt.op.slice(0, -1),
          left: { kind: 'ident', name: stmt.target.name, span: stmt.target.span },
          right: stmt.value,
          span: stmt.span,
        };
  const v = evaluate(rhs, ctx.env);
  if (v) variable.value = coerce(v, variable.type);
}

export function measure(ctx: LowerContext, qOperand: Operand, bOperand: Operand, span: Span): void {
  const q = ctx.resolve(qOperand, 'qubit');
  const b = ctx.resolve(bOperand, 'bit');
  if (!q || !b) return;
  if (q.indices.length !== b.indices.length) {
    ctx.report(
      qasmDiagnostic(
        'register_size_mismatch',
        `Cannot measure ${q.indices.length} qubit${q.indices.length === 1 ? '' : 's'} into ${b.indices.length} bit${b.indices.length === 1 ? '' : 's'}; the sizes must match.`,
        span,
      ),
    );
    return;
  }
  q.indices.forEach((qubit, i) => ctx.emit({ type: 'measure', qubit, clbit: b.indices[i]! }, span));
}
