/**
 * Lowers a Circuit for the engine: terminal measurements (nothing touches their qubit or clbit afterwards) are
 * split off so they can be sampled from one final state; the rest becomes a flat instruction list where `if`
 * turns into jumps and the noise model's channels are inserted after the gates they follow.
 */
import type { Circuit, Condition, GlobalPhaseOp, NoiseChannel, Operation, UnitaryOp } from '../circuit.js';
import type { NoiseModel } from '../simulator.js';

export type Instr =
  | { readonly t: 'unitaries'; readonly ops: readonly (UnitaryOp | GlobalPhaseOp)[] }
  | { readonly t: 'measure'; readonly qubit: number; readonly clbit: number }
  | { readonly t: 'reset'; readonly qubit: number }
  | { readonly t: 'noise'; readonly channel: NoiseChannel; readonly qubits: readonly number[] }
  | { readonly t: 'jumpUnless'; readonly condition: Condition; to: number }
  | { readonly t: 'jump'; to: number };

export interface Program {
  readonly instrs: readonly Instr[];
  /** Qubit → clbit pairs sampled at the end. */
  readonly terminal: readonly { readonly qubit: number; readonly clbit: number }[];
  /** Width of a count key: numClbits, or numQubits when the circuit measures nothing. */
  readonly keyBits: number;
  /** Clbits some measurement writes (readout error applies to these). */
  readonly measuredClbits: readonly number[];
  /** Only unitaries: one pass, then sampling. */
  readonly deterministic: boolean;
  /** The unitaries in order, when deterministic (for gradients). */
  readonly unitaries: readonly (UnitaryOp | GlobalPhaseOp)[];
}

function touched(op: Operation, qubits: Set<number>, clbits: Set<number>): void {
  switch (op.type) {
    case 'unitary':
      for (const q of [...op.targets, ...op.controls]) qubits.add(q);
      return;
    case 'reset':
      qubits.add(op.qubit);
      return;
    case 'noise':
      for (const q of op.qubits) qubits.add(q);
      return;
    case 'measure':
      qubits.add(op.qubit);
      clbits.add(op.clbit);
      return;
    case 'if':
      for (const c of op.condition.clbits) clbits.add(c);
      for (const o of [...op.then, ...op.else]) touched(o, qubits, clbits);
      return;
    case 'barrier':
    case 'gphase':
      return;
  }
}

function hasMeasure(ops: readonly Operation[]): boolean {
  return ops.some((o) => o.type === 'measure' || (o.type === 'if' && hasMeasure([...o.then, ...o.else])));
}

function collectMeasured(ops: readonly Operation[], out: Set<number>): void {
  for (const o of ops) {
    if (o.type === 'measure') out.add(o.clbit);
    else if (o.type === 'if') collectMeasured([...o.then, ...o.else], out);
  }
}

export function lowerCircuit(circuit: Circuit, noise: NoiseModel | undefined): Program {
  const ops = circuit.ops;
  const measuresAny = hasMeasure(ops);
  const laterQubits = new Set<number>();
  const laterClbits = new Set<number>();
  const terminalIdx = new Set<number>();
  const terminal: { qubit: number; clbit: number }[] = [];
  if (measuresAny) {
    for (let i = ops.length - 1; i >= 0; i--) {
      const op = ops[i];
      if (!op) continue;
      if (op.type === 'measure' && !laterQubits.has(op.qubit) && !laterClbits.has(op.clbit)) {
        terminalIdx.add(i);
        terminal.unshift({ qubit: op.qubit, clbit: op.clbit });
      }
      touched(op, laterQubits, laterClbits);
    }
  } else {
    for (let q = 0; q < circuit.numQubits; q++) terminal.push({ qubit: q, clbit: q });
  }
  const measured = new Set<number>();
  collectMeasured(ops, measured);
  if (!measuresAny) for (let q = 0; q < circuit.numQubits; q++) measured.add(q);

  const instrs: Instr[] = [];
  let pending: (UnitaryOp | GlobalPhaseOp)[] = [];
  const flush = (): void => {
    if (pending.length > 0) instrs.push({ t: 'unitaries', ops: pending });
    pending = [];
  };
  const emitNoise = (channel: NoiseChannel, qubits: readonly number[]): void => {
    flush();
    if (channel.kind === 'depolarizing') instrs.push({ t: 'noise', channel, qubits });
    else for (const q of qubits) instrs.push({ t: 'noise', channel, qubits: [q] });
  };
  const emit = (list: readonly Operation[], top: boolean): void => {
    list.forEach((op, i) => {
      if (top && terminalIdx.has(i)) return;
      switch (op.type) {
        case 'unitary': {
          pending.push(op);
          const qs = [...op.targets, ...op.controls];
          for (const ch of noise?.perGate?.[op.label] ?? []) emitNoise(ch, qs);
          for (const ch of noise?.global ?? []) for (const q of qs) emitNoise(ch, [q]);
          return;
        }
        case 'gphase':
          pending.push(op);
          return;
        case 'barrier':
          return;
        case 'measure':
          flush();
          instrs.push({ t: 'measure', qubit: op.qubit, clbit: op.clbit });
          return;
        case 'reset':
          flush();
          instrs.push({ t: 'reset', qubit: op.qubit });
          return;
        case 'noise':
          emitNoise(op.channel, op.qubits);
          return;
        case 'if': {
          flush();
          const jumpUnless = { t: 'jumpUnless' as const, condition: op.condition, to: -1 };
          instrs.push(jumpUnless);
          emit(op.then, false);
          flush();
          const jump = { t: 'jump' as const, to: -1 };
          instrs.push(jump);
          jumpUnless.to = instrs.length;
          emit(op.else, false);
          flush();
          jump.to = instrs.length;
          return;
        }
      }
    });
  };
  emit(ops, true);
  flush();
  const deterministic = instrs.every((i) => i.t === 'unitaries');
  return {
    instrs,
    terminal,
    keyBits: measuresAny ? circuit.numClbits : circuit.numQubits,
    measuredClbits: [...measured].sort((a, b) => a - b),
    deterministic,
    unitaries: deterministic ? instrs.flatMap((i) => (i.t === 'unitaries' ? i.ops : [])) : [],
  };
}

export function evaluateCondition(c: Condition, clbits: Uint8Array): boolean {
  let v = 0;
  c.clbits.forEach((b, i) => {
    v += (clbits[b] ?? 0) * 2 ** i;
  });
  switch (c.comparison) {
    case '==':
      return v === c.value;
    case '!=':
      return v !== c.value;
    case '<':
      return v < c.value;
    case '<=':
      return v <= c.value;
    case '>':
      return v > c.value;
    case '>=':
      return v >= c.value;
  }
}
