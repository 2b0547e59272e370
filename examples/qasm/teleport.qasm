// Quantum teleportation (OpenQASM 2.0): the state u3(0.3, 0.2, 0.1)|0⟩ moves from q[0] to q[2] with two
// classically controlled corrections. P(out = 1) = sin²(0.15) ≈ 0.0223.
OPENQASM 2.0;
include "qelib1.inc";

qreg q[3];
creg m0[1];
creg m1[1];
creg out[1];

u3(0.3, 0.2, 0.1) q[0];

// Bell pair between q[1] and q[2]
h q[1];
cx q[1], q[2];
barrier q;

// Bell measurement of q[0] and q[1]
cx q[0], q[1];
h q[0];
measure q[0] -> m0[0];
measure q[1] -> m1[0];

// corrections
if (m1 == 1) x q[2];
if (m0 == 1) z q[2];

measure q[2] -> out[0];
