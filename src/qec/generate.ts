/**
 * Memory-experiment circuits in Stim's text, laid out like Stim's own generators (`stim.Circuit.generated`):
 * the rotated surface code (`surface_code:rotated_memory_x|z`) and the repetition code
 * (`repetition_code:memory`), with Stim's four noise parameters: after_clifford_depolarization (DEPOLARIZE1/2
 * after every gate), before_round_data_depolarization (DEPOLARIZE1 on data qubits at the start of each round),
 * before_measure_flip_probability (a flip before each measurement) and after_reset_flip_probability (a flip
 * after each reset). A parameter of 0 leaves its instructions out.
 *
 * Rotated layout (coordinates x + iy): data at odd (x, y) in [1, 2d−1]; measure qubits at even points, X-type
 * where x/2 and y/2 differ in parity; qubit index x + ⌊y/2⌋(2d+1). The CNOT schedule visits the four neighbours
 * in the orders X: (+1+i, −1+i, +1−i, −1−i), Z: (+1+i, +1−i, −1+i, −1−i), which keeps hook errors from lowering
 * the distance.
 */

/* eslint-disable @typescript-eslint/no-non-null-assertion -- positions looked up in maps built from the same qubits */

export const CODES = ['surface', 'repetition'] as const;
export type CodeKind = (typeof CODES)[number];
export const BASES = ['x', 'z'] as const;
export type Basis = (typeof BASES)[number];

export interface NoiseParams {
  readonly afterCliffordDepolarization: number;
  readonly beforeRoundDataDepolarization: number;
  readonly beforeMeasureFlipProbability: number;
  readonly afterResetFlipProbability: number;
}

export interface MemorySpec {
  readonly code: CodeKind;
  readonly basis: Basis;
  readonly distance: number;
  readonly rounds: number;
  readonly noise: NoiseParams;
}

export function uniformNoise(p: number): NoiseParams {
  return {
    afterCliffordDepolarization: p,
    beforeRoundDataDepolarization: p,
    beforeMeasureFlipProbability: p,
    afterResetFlipProbability: p,
  };
}

/** Limits that keep generated circuits to a size the sampler handles. */
export const GENERATE_LIMITS = { maxDistance: 51, maxRounds: 10_000 } as const;

export function generateMemoryCircuit(spec: MemorySpec): string {
  return spec.code === 'surface' ? rotatedSurfaceCode(spec) : repetitionCode(spec);
}

interface Pt {
  x: number;
  y: number;
}

function rotatedSurfaceCode(spec: MemorySpec): string {
  const { distance: d, rounds, noise, basis } = spec;
  const idx = (q: Pt): number => q.x + Math.floor(q.y / 2) * (2 * d + 1);
  const data: Pt[] = [];
  for (let x = 1; x < 2 * d; x += 2) for (let y = 1; y < 2 * d; y += 2) data.push({ x, y });
  const xMeasures: Pt[] = [];
  const zMeasures: Pt[] = [];
  for (let x = 0; x <= d; x++) {
    for (let y = 0; y <= d; y++) {
      const boundary1 = x === 0 || x === d;
      const boundary2 = y === 0 || y === d;
      const parity = x % 2 !== y % 2;
      if (boundary1 && parity) continue;
      if (boundary2 && !parity) continue;
      (parity ? xMeasures : zMeasures).push({ x: 2 * x, y: 2 * y });
    }
  }
  const dataSet = new Set(data.map(idx));
  const byIdx = (a: Pt, b: Pt): number => idx(a) - idx(b);
  const dataSorted = data.slice().sort(byIdx);
  const measSorted = [...xMeasures, ...zMeasures].sort(byIdx);
  const xIdx = xMeasures.map(idx).sort((a, b) => a - b);
  const all = [...data, ...xMeasures, ...zMeasures].sort(byIdx);
  const xOrder: Pt[] = [
    { x: 1, y: 1 },
    { x: -1, y: 1 },
    { x: 1, y: -1 },
    { x: -1, y: -1 },
  ];
  const zOrder: Pt[] = [
    { x: 1, y: 1 },
    { x: 1, y: -1 },
    { x: -1, y: 1 },
    { x: -1, y: -1 },
  ];
  const add = (a: Pt, b: Pt): Pt => ({ x: a.x + b.x, y: a.y + b.y });
  const dataIds = dataSorted.map(idx);
  const measIds = measSorted.map(idx);
  const nm = measIds.length;
  const nData = dataIds.length;
  const measPos = new Map(measIds.map((q, i) => [q, i]));
  const dataPos = new Map(dataIds.map((q, i) => [q, i]));
  const out: string[] = [];
  const j = (qs: readonly number[]): string => qs.join(' ');
  const noisy = (name: string, p: number, qs: readonly number[]): void => {
    if (p > 0 && qs.length > 0) out.push(`${name}(${p}) ${j(qs)}`);
  };
  const basisMeasures = basis === 'x' ? xMeasures : zMeasures;

  for (const q of all) out.push(`QUBIT_COORDS(${q.x}, ${q.y}) ${idx(q)}`);
  out.push(`${basis === 'x' ? 'RX' : 'R'} ${j(dataIds)}`);
  noisy(basis === 'x' ? 'Z_ERROR' : 'X_ERROR', noise.afterResetFlipProbability, dataIds);
  out.push(`R ${j(measIds)}`);
  noisy('X_ERROR', noise.afterResetFlipProbability, measIds);
  out.push('TICK');
  const cycle = (lines: string[]): void => {
    const keep = out.length;
    noisy('DEPOLARIZE1', noise.beforeRoundDataDepolarization, dataIds);
    out.push(`H ${j(xIdx)}`);
    noisy('DEPOLARIZE1', noise.afterCliffordDepolarization, xIdx);
    out.push('TICK');
    for (let k = 0; k < 4; k++) {
      const pairs: number[] = [];
      for (const m of xMeasures) {
        const dq = add(m, xOrder[k] as Pt);
        if (dataSet.has(idx(dq)) && dq.x > 0 && dq.y > 0 && dq.x < 2 * d && dq.y < 2 * d) pairs.push(idx(m), idx(dq));
      }
      for (const m of zMeasures) {
        const dq = add(m, zOrder[k] as Pt);
        if (dataSet.has(idx(dq)) && dq.x > 0 && dq.y > 0 && dq.x < 2 * d && dq.y < 2 * d) pairs.push(idx(dq), idx(m));
      }
      out.push(`CX ${j(pairs)}`);
      noisy('DEPOLARIZE2', noise.afterCliffordDepolarization, pairs);
      out.push('TICK');
    }
    out.push(`H ${j(xIdx)}`);
    noisy('DEPOLARIZE1', noise.afterCliffordDepolarization, xIdx);
    out.push('TICK');
    noisy('X_ERROR', noise.beforeMeasureFlipProbability, measIds);
    out.push(`MR ${j(measIds)}`);
    noisy('X_ERROR', noise.afterResetFlipProbability, measIds);
    lines.push(...out.splice(keep));
  };
  const first: string[] = [];
  cycle(first);
  out.push(...first);
  for (const m of basisMeasures) out.push(`DETECTOR(${m.x}, ${m.y}, 0) rec[-${nm - measPos.get(idx(m))!}]`);
  if (rounds > 1) {
    const body: string[] = ['TICK'];
    cycle(body);
    body.push('SHIFT_COORDS(0, 0, 1)');
    for (const m of measSorted) {
      const r = nm - measPos.get(idx(m))!;
      body.push(`DETECTOR(${m.x}, ${m.y}, 0) rec[-${r}] rec[-${r + nm}]`);
    }
    out.push(`REPEAT ${rounds - 1} {`, ...body.map((l) => `    ${l}`), '}');
  }
  noisy(basis === 'x' ? 'Z_ERROR' : 'X_ERROR', noise.beforeMeasureFlipProbability, dataIds);
  out.push(`${basis === 'x' ? 'MX' : 'M'} ${j(dataIds)}`);
  const order = basis === 'x' ? xOrder : zOrder;
  for (const m of basisMeasures) {
    const recs: string[] = [];
    for (const o of order) {
      const dq = add(m, o);
      const pos = dataPos.get(idx(dq));
      if (pos !== undefined && dq.x > 0 && dq.y > 0 && dq.x < 2 * d && dq.y < 2 * d) recs.push(`rec[-${nData - pos}]`);
    }
    recs.push(`rec[-${nData + nm - measPos.get(idx(m))!}]`);
    out.push(`DETECTOR(${m.x}, ${m.y}, 1) ${recs.join(' ')}`);
  }
  // The logical operator: X along the column x = 1, or Z along the row y = 1.
  const logical = dataSorted.filter((q) => (basis === 'x' ? q.x === 1 : q.y === 1));
  const recs = logical.map((q) => `rec[-${nData - dataPos.get(idx(q))!}]`).reverse();
  out.push(`OBSERVABLE_INCLUDE(0) ${recs.join(' ')}`);
  return out.join('\n') + '\n';
}

/** Repetition code protecting against bit flips: data on even qubits, ZZ parity checks on odd ones. */
function repetitionCode(spec: MemorySpec): string {
  const { distance: d, rounds, noise } = spec;
  const dataIds = Array.from({ length: d }, (_, i) => 2 * i);
  const measIds = Array.from({ length: d - 1 }, (_, i) => 2 * i + 1);
  const nm = measIds.length;
  const out: string[] = [];
  const j = (qs: readonly number[]): string => qs.join(' ');
  const noisy = (lines: string[], name: string, p: number, qs: readonly number[]): void => {
    if (p > 0 && qs.length > 0) lines.push(`${name}(${p}) ${j(qs)}`);
  };
  out.push(`R ${j([...dataIds, ...measIds].sort((a, b) => a - b))}`);
  noisy(
    out,
    'X_ERROR',
    noise.afterResetFlipProbability,
    [...dataIds, ...measIds].sort((a, b) => a - b),
  );
  out.push('TICK');
  const cycle = (lines: string[]): void => {
    noisy(lines, 'DEPOLARIZE1', noise.beforeRoundDataDepolarization, dataIds);
    const first = measIds.flatMap((m) => [m - 1, m]);
    lines.push(`CX ${j(first)}`);
    noisy(lines, 'DEPOLARIZE2', noise.afterCliffordDepolarization, first);
    lines.push('TICK');
    const second = measIds.flatMap((m) => [m + 1, m]);
    lines.push(`CX ${j(second)}`);
    noisy(lines, 'DEPOLARIZE2', noise.afterCliffordDepolarization, second);
    lines.push('TICK');
    noisy(lines, 'X_ERROR', noise.beforeMeasureFlipProbability, measIds);
    lines.push(`MR ${j(measIds)}`);
    noisy(lines, 'X_ERROR', noise.afterResetFlipProbability, measIds);
  };
  cycle(out);
  measIds.forEach((m, i) => out.push(`DETECTOR(${m}, 0) rec[-${nm - i}]`));
  if (rounds > 1) {
    const body: string[] = [];
    cycle(body);
    body.push('SHIFT_COORDS(0, 1)');
    measIds.forEach((m, i) => body.push(`DETECTOR(${m}, 0) rec[-${nm - i}] rec[-${2 * nm - i}]`));
    out.push(`REPEAT ${rounds - 1} {`, ...body.map((l) => `    ${l}`), '}');
  }
  noisy(out, 'X_ERROR', noise.beforeMeasureFlipProbability, dataIds);
  out.push(`M ${j(dataIds)}`);
  measIds.forEach((m, i) => out.push(`DETECTOR(${m}, 1) rec[-${d - i}] rec[-${d - i - 1}] rec[-${d + nm - i}]`));
  out.push('OBSERVABLE_INCLUDE(0) rec[-1]');
  return out.join('\n') + '\n';
}
