/**
 * Stim's detector error model (DEM) text: `error(p) D0 D1 L0 ^ D2`, `detector(x, y, t) D5`,
 * `logical_observable L0`, `shift_detectors(dx, dy, dt) n`, `repeat n { … }`, `#` comments. Reading unrolls
 * `repeat` blocks and resolves detector ids relative to the running `shift_detectors` offset, so the result is a
 * flat list of error mechanisms on absolute detector ids. Errors are diagnostics with the line they were found on.
 */
import type { Diagnostic } from '../shared/diagnostic.js';
import { fail, ok, QEC_LIMITS, qecDiagnostic } from './diagnostics.js';
import type { QecResult } from './diagnostics.js';
import { readInstructionLines, type InstructionLine, type LineFormat } from './instruction-lines.js';

/** One part of an error's symptoms; `^` separates the parts of a suggested (graph-like) decomposition. */
export interface DemComponent {
  readonly detectors: readonly number[];
  readonly observables: readonly number[];
}

export interface DemError {
  readonly probability: number;
  readonly components: readonly DemComponent[];
  /** The 1-based line of the `error` instruction. */
  readonly line: number;
}

export interface DetectorErrorModel {
  readonly errors: readonly DemError[];
  readonly numDetectors: number;
  readonly numObservables: number;
  /** Coordinates of the detectors that declared some (shifted by the `shift_detectors` offsets in force). */
  readonly detectorCoords: ReadonlyMap<number, readonly number[]>;
}

type Line = InstructionLine;

const HEAD = /^([A-Za-z_][A-Za-z0-9_]*)(?:\[[^\]]*\])?(?:\(([^)]*)\))?\s*(.*)$/;

const FORMAT: LineFormat = { source: 'dem', repeat: 'repeat', head: HEAD };

function structure(text: string, diags: Diagnostic[]): Line[] {
  return readInstructionLines(text, FORMAT, diags);
}

/** Reads DEM text. Fails with every problem found (each with its line) rather than a partial model. */
export function parseDem(text: string): QecResult<DetectorErrorModel> {
  const diags: Diagnostic[] = [];
  const lines = structure(text, diags);
  const errors: DemError[] = [];
  const coords = new Map<number, readonly number[]>();
  let numDetectors = 0;
  let numObservables = 0;
  let detOffset = 0;
  let coordOffset: number[] = [];
  let work = 0;

  const target = (t: string, no: number): { kind: 'D' | 'L'; id: number } | undefined => {
    const m = /^([DL])(\d+)$/.exec(t);
    const id = m ? Number(m[2]) : NaN;
    if (!m || !Number.isSafeInteger(id)) {
      diags.push(qecDiagnostic('dem', 'bad_target', `'${t}' is not a detector (D3) or observable (L0) target`, no));
      return undefined;
    }
    if (m[1] === 'D') {
      const abs = id + detOffset;
      if (abs >= QEC_LIMITS.maxIndex) {
        diags.push(
          qecDiagnostic('dem', 'too_large', `detector D${abs} is above the limit of ${QEC_LIMITS.maxIndex}`, no),
        );
        return undefined;
      }
      numDetectors = Math.max(numDetectors, abs + 1);
      return { kind: 'D', id: abs };
    }
    if (id >= QEC_LIMITS.maxObservables) {
      diags.push(
        qecDiagnostic('dem', 'too_many_observables', `L${id}: at most ${QEC_LIMITS.maxObservables} observables`, no),
      );
      return undefined;
    }
    numObservables = Math.max(numObservables, id + 1);
    return { kind: 'L', id };
  };

  const run = (block: readonly Line[]): boolean => {
    for (const line of block) {
      if (diags.length > 100) return false;
      if (++work > QEC_LIMITS.maxUnrolled) {
        diags.push(
          qecDiagnostic('dem', 'too_large', `the model unrolls to more than ${QEC_LIMITS.maxUnrolled} lines`, line.no),
        );
        return false;
      }
      switch (line.name) {
        case 'error': {
          const p = line.args[0];
          if (line.args.length !== 1 || p === undefined || !(p >= 0 && p <= 1)) {
            diags.push(
              qecDiagnostic('dem', 'bad_probability', 'error(p) needs one probability between 0 and 1', line.no),
            );
            break;
          }
          const components: DemComponent[] = [];
          let dets: number[] = [];
          let obs: number[] = [];
          let good = true;
          for (const t of line.targets) {
            if (t === '^') {
              components.push({ detectors: dets, observables: obs });
              dets = [];
              obs = [];
              continue;
            }
            const r = target(t, line.no);
            if (!r) good = false;
            else if (r.kind === 'D') dets.push(r.id);
            else obs.push(r.id);
          }
          components.push({ detectors: dets, observables: obs });
          if (good) errors.push({ probability: p, components, line: line.no });
          break;
        }
        case 'detector': {
          for (const t of line.targets) {
            const r = target(t, line.no);
            if (r?.kind === 'D' && line.args.length > 0)
              coords.set(
                r.id,
                line.args.map((a, i) => a + (coordOffset[i] ?? 0)),
              );
            else if (r?.kind === 'L')
              diags.push(qecDiagnostic('dem', 'bad_target', "'detector' takes detector targets (D3)", line.no));
          }
          break;
        }
        case 'logical_observable': {
          for (const t of line.targets) {
            const r = target(t, line.no);
            if (r?.kind === 'D')
              diags.push(
                qecDiagnostic('dem', 'bad_target', "'logical_observable' takes observable targets (L0)", line.no),
              );
          }
          break;
        }
        case 'shift_detectors': {
          const n = line.targets.length === 0 ? 0 : Number(line.targets[0]);
          if (line.targets.length > 1 || !Number.isSafeInteger(n) || n < 0) {
            diags.push(qecDiagnostic('dem', 'bad_target', 'shift_detectors takes one non-negative count', line.no));
            break;
          }
          detOffset += n;
          coordOffset = line.args.map((a, i) => a + (coordOffset[i] ?? 0)).concat(coordOffset.slice(line.args.length));
          break;
        }
        case 'repeat': {
          const n = Number(line.targets[0]);
          if (line.targets.length !== 1 || !Number.isSafeInteger(n) || n < 0) {
            diags.push(qecDiagnostic('dem', 'bad_repeat', "'repeat' needs one non-negative whole count", line.no));
            break;
          }
          for (let k = 0; k < n; k++) if (!run(line.body ?? [])) return false;
          break;
        }
        case 'detector_separator':
          break;
        default:
          diags.push(
            qecDiagnostic(
              'dem',
              'unknown_instruction',
              `unknown DEM instruction '${line.name}' (expected error, detector, logical_observable, shift_detectors or repeat)`,
              line.no,
            ),
          );
      }
    }
    return true;
  };
  if (diags.length === 0) run(lines);
  if (diags.length > 0) return fail(diags);
  return ok({ errors, numDetectors, numObservables, detectorCoords: coords });
}
