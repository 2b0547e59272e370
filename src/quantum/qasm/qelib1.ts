/**
 * The gates of `include "qelib1.inc";`. The definitions follow the OpenQASM 2 `qelib1.inc` definitions (the
 * extended set that current toolchains ship), built from `U` and `CX`, so each gate's matrix, global phase
 * included, is the one OpenQASM 2 programs expect (for example `rz(φ)` is `u1(φ)`, with no phase correction).
 * `c4x` is built on `c3x`, not on two relative-phase `rc3x` gates (those would not give a 4-controlled X).
 */
import { libraryGateNames, renderLibrary, type GateDefinition } from './library-source.js';

const DEFINITIONS: readonly GateDefinition[] = [
  // Thin wrappers of the built-ins.
  ['u3(theta, phi, lam) q', 'U(theta, phi, lam) q;'],
  ['u2(phi, lam) q', 'U(pi/2, phi, lam) q;'],
  ['u1(lam) q', 'U(0, 0, lam) q;'],
  ['cx a, b', 'CX a, b;'],
  ['id q', 'U(0, 0, 0) q;'],
  ['u0(gam) q', 'U(0, 0, 0) q;'],
  ['u(theta, phi, lam) q', 'U(theta, phi, lam) q;'],
  ['p(lam) q', 'U(0, 0, lam) q;'],

  // One qubit.
  ['rx(theta) q', 'u3(theta, -pi/2, pi/2) q;'],
  ['ry(theta) q', 'u3(theta, 0, 0) q;'],
  ['rz(phi) q', 'u1(phi) q;'],
  ['x q', 'u3(pi, 0, pi) q;'],
  ['y q', 'u3(pi, pi/2, pi/2) q;'],
  ['z q', 'u1(pi) q;'],
  ['h q', 'u2(0, pi) q;'],
  ['s q', 'u1(pi/2) q;'],
  ['sdg q', 'u1(-pi/2) q;'],
  ['t q', 'u1(pi/4) q;'],
  ['tdg q', 'u1(-pi/4) q;'],
  ['sx q', 'sdg q; h q; sdg q;'],
  ['sxdg q', 's q; h q; s q;'],

  // Two qubits (the first one is the control where there is one).
  ['cz a, b', 'h b; cx a, b; h b;'],
  ['cy a, b', 'sdg b; cx a, b; s b;'],
  ['ch a, b', 'h b; sdg b; cx a, b; h b; t b; cx a, b; t b; h b; s b; x b; s a;'],
  ['swap a, b', 'cx a, b; cx b, a; cx a, b;'],
  ['crx(lam) a, b', 'u1(pi/2) b; cx a, b; u3(-lam/2, 0, 0) b; cx a, b; u3(lam/2, -pi/2, 0) b;'],
  ['cry(lam) a, b', 'ry(lam/2) b; cx a, b; ry(-lam/2) b; cx a, b;'],
  ['crz(lam) a, b', 'rz(lam/2) b; cx a, b; rz(-lam/2) b; cx a, b;'],
  ['cu1(lam) a, b', 'u1(lam/2) a; cx a, b; u1(-lam/2) b; cx a, b; u1(lam/2) b;'],
  ['cp(lam) a, b', 'p(lam/2) a; cx a, b; p(-lam/2) b; cx a, b; p(lam/2) b;'],
  [
    'cu3(theta, phi, lam) a, b',
    [
      'u1((lam+phi)/2) a; u1((lam-phi)/2) b;',
      'cx a, b; u3(-theta/2, 0, -(phi+lam)/2) b;',
      'cx a, b; u3(theta/2, phi, 0) b;',
    ],
  ],
  ['csx a, b', 'h b; cu1(pi/2) a, b; h b;'],
  [
    'cu(theta, phi, lam, gam) a, b',
    [
      'p(gam) a; p((lam+phi)/2) a; p((lam-phi)/2) b;',
      'cx a, b; u(-theta/2, 0, -(phi+lam)/2) b;',
      'cx a, b; u(theta/2, phi, 0) b;',
    ],
  ],
  ['rxx(theta) a, b', 'u3(pi/2, theta, 0) a; h b; cx a, b; u1(-theta) b; cx a, b; h b; u2(-pi, pi-theta) a;'],
  ['rzz(theta) a, b', 'cx a, b; u1(theta) b; cx a, b;'],

  // Three qubits and more (controls first, target last).
  [
    'ccx a, b, c',
    ['h c; cx b, c; tdg c; cx a, c; t c; cx b, c; tdg c; cx a, c;', 't b; t c; h c; cx a, b; t a; tdg b; cx a, b;'],
  ],
  ['cswap a, b, c', 'cx c, b; ccx a, b, c; cx c, b;'],
  [
    'rccx a, b, c',
    'u2(0, pi) c; u1(pi/4) c; cx b, c; u1(-pi/4) c; cx a, c; u1(pi/4) c; cx b, c; u1(-pi/4) c; u2(0, pi) c;',
  ],
  [
    'rc3x a, b, c, d',
    [
      'u2(0, pi) d; u1(pi/4) d; cx c, d; u1(-pi/4) d; u2(0, pi) d;',
      'cx a, d; u1(pi/4) d; cx b, d; u1(-pi/4) d; cx a, d; u1(pi/4) d; cx b, d; u1(-pi/4) d;',
      'u2(0, pi) d; u1(pi/4) d; cx c, d; u1(-pi/4) d; u2(0, pi) d;',
    ],
  ],
  [
    'c3x a, b, c, d',
    [
      'h d; p(pi/8) a; p(pi/8) b; p(pi/8) c; p(pi/8) d;',
      'cx a, b; p(-pi/8) b; cx a, b;',
      'cx b, c; p(-pi/8) c; cx a, c; p(pi/8) c; cx b, c; p(-pi/8) c; cx a, c;',
      'cx c, d; p(-pi/8) d; cx b, d; p(pi/8) d; cx c, d; p(-pi/8) d; cx a, d;',
      'p(pi/8) d; cx c, d; p(-pi/8) d; cx b, d; p(pi/8) d; cx c, d; p(-pi/8) d; cx a, d;',
      'h d;',
    ],
  ],
  [
    'c3sqrtx a, b, c, d',
    [
      'h d; cu1(pi/8) a, d; h d; cx a, b;',
      'h d; cu1(-pi/8) b, d; h d; cx a, b;',
      'h d; cu1(pi/8) b, d; h d; cx b, c;',
      'h d; cu1(-pi/8) c, d; h d; cx a, c;',
      'h d; cu1(pi/8) c, d; h d; cx b, c;',
      'h d; cu1(-pi/8) c, d; h d; cx a, c;',
      'h d; cu1(pi/8) c, d; h d;',
    ],
  ],
  [
    'c4x a, b, c, d, e',
    ['h e; cu1(pi/2) d, e; h e; c3x a, b, c, d;', 'h e; cu1(-pi/2) d, e; h e; c3x a, b, c, d;', 'c3sqrtx a, b, c, e;'],
  ],
];

/** The library as OpenQASM source text (pure areas read no files). */
export const QELIB1_INC = renderLibrary(DEFINITIONS);

/** Every gate name the library defines. */
export const QELIB1_NAMES = libraryGateNames(DEFINITIONS);
