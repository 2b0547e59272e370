/**
 * `stdgates.inc`, the OpenQASM 3 standard gate library, as source text (pure areas cannot read files). The gate
 * bodies follow the library published with the OpenQASM 3 specification (openqasm/openqasm, Apache-2.0),
 * including its global-phase conventions (`rz`, `u2`, `u3` carry a `gphase`).
 */
/* eslint-disable @typescript-eslint/no-non-null-assertion -- indices here are in range by construction (loop bounds,
   matrix dimensions, checked lookups); noUncheckedIndexedAccess would otherwise make every array read optional. */
export const STDGATES_INC = `// OpenQASM 3 standard gate library
gate p(λ) a { ctrl @ gphase(λ) a; }
gate x a { U(π, 0, π) a; }
gate y a { U(π, π/2, π/2) a; }
gate z a { p(π) a; }
gate h a { U(π/2, 0, π) a; }
gate s a { pow(1/2) @ z a; }
gate sdg a { inv @ pow(1/2) @ z a; }
gate t a { pow(1/2) @ s a; }
gate tdg a { inv @ pow(1/2) @ s a; }
gate sx a { pow(1/2) @ x a; }
gate rx(θ) a { U(θ, -π/2, π/2) a; }
gate ry(θ) a { U(θ, 0, 0) a; }
gate rz(λ) a { gphase(-λ/2); U(0, 0, λ) a; }
gate cx a, b { ctrl @ x a, b; }
gate cy a, b { ctrl @ y a, b; }
gate cz a, b { ctrl @ z a, b; }
gate cp(λ) a, b { ctrl @ p(λ) a, b; }
gate crx(θ) a, b { ctrl @ rx(θ) a, b; }
gate cry(θ) a, b { ctrl @ ry(θ) a, b; }
gate crz(θ) a, b { ctrl @ rz(θ) a, b; }
gate ch a, b { ctrl @ h a, b; }
gate swap a, b { cx a, b; cx b, a; cx a, b; }
gate ccx a, b, c { ctrl @ ctrl @ x a, b, c; }
gate cswap a, b, c { ctrl @ swap a, b, c; }
gate cu(θ, φ, λ, γ) a, b { p(γ) a; ctrl @ U(θ, φ, λ) a, b; }
gate CX a, b { ctrl @ U(π, 0, π) a, b; }
gate phase(λ) q { U(0, 0, λ) q; }
gate cphase(λ) a, b { ctrl @ phase(λ) a, b; }
gate id a { U(0, 0, 0) a; }
gate u1(λ) q { U(0, 0, λ) q; }
gate u2(φ, λ) q { gphase(-(φ+λ+π/2)/2); U(π/2, φ, λ) q; }
gate u3(θ, φ, λ) q { gphase(-(φ+λ+θ)/2); U(θ, φ, λ) q; }
`;

/** Every gate name `stdgates.inc` defines, in file order. */
export const STDGATES_NAMES = [...STDGATES_INC.matchAll(/^gate (\w+)/gm)].map((m) => m[1]!);
