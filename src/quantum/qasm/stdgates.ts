/**
 * The gates of `include "stdgates.inc";`. The definitions follow the OpenQASM 3 `stdgates.inc` definitions,
 * global phases included: `rz`, `u2` and `u3` carry a `gphase`, and `p` is a controlled global phase, so these
 * gates can differ from their `qelib1.inc` namesakes by a phase.
 */
import { libraryGateNames, renderLibrary, type GateDefinition } from './library-source.js';

const DEFINITIONS: readonly GateDefinition[] = [
  // Phases and the older U-style names.
  ['p(λ) a', 'ctrl @ gphase(λ) a;'],
  ['phase(λ) a', 'U(0, 0, λ) a;'],
  ['id a', 'U(0, 0, 0) a;'],
  ['u1(λ) a', 'U(0, 0, λ) a;'],
  ['u2(φ, λ) a', 'gphase(-(φ+λ+π/2)/2); U(π/2, φ, λ) a;'],
  ['u3(θ, φ, λ) a', 'gphase(-(φ+λ+θ)/2); U(θ, φ, λ) a;'],

  // One qubit.
  ['x a', 'U(π, 0, π) a;'],
  ['y a', 'U(π, π/2, π/2) a;'],
  ['z a', 'p(π) a;'],
  ['h a', 'U(π/2, 0, π) a;'],
  ['s a', 'pow(1/2) @ z a;'],
  ['sdg a', 'inv @ pow(1/2) @ z a;'],
  ['t a', 'pow(1/2) @ s a;'],
  ['tdg a', 'inv @ pow(1/2) @ s a;'],
  ['sx a', 'pow(1/2) @ x a;'],
  ['rx(θ) a', 'U(θ, -π/2, π/2) a;'],
  ['ry(θ) a', 'U(θ, 0, 0) a;'],
  ['rz(λ) a', 'gphase(-λ/2); U(0, 0, λ) a;'],

  // Controlled forms: the control comes first.
  ['CX a, b', 'ctrl @ U(π, 0, π) a, b;'],
  ['cx a, b', 'ctrl @ x a, b;'],
  ['cy a, b', 'ctrl @ y a, b;'],
  ['cz a, b', 'ctrl @ z a, b;'],
  ['ch a, b', 'ctrl @ h a, b;'],
  ['cp(λ) a, b', 'ctrl @ p(λ) a, b;'],
  ['cphase(λ) a, b', 'ctrl @ phase(λ) a, b;'],
  ['crx(θ) a, b', 'ctrl @ rx(θ) a, b;'],
  ['cry(θ) a, b', 'ctrl @ ry(θ) a, b;'],
  ['crz(θ) a, b', 'ctrl @ rz(θ) a, b;'],
  ['cu(θ, φ, λ, γ) a, b', 'p(γ) a; ctrl @ U(θ, φ, λ) a, b;'],
  ['ccx a, b, c', 'ctrl @ ctrl @ x a, b, c;'],

  // Exchange.
  ['swap a, b', 'cx a, b; cx b, a; cx a, b;'],
  ['cswap a, b, c', 'ctrl @ swap a, b, c;'],
];

/** The library as OpenQASM source text (pure areas read no files). */
export const STDGATES_INC = renderLibrary(DEFINITIONS);

/** Every gate name the library defines. */
export const STDGATES_NAMES = libraryGateNames(DEFINITIONS);
