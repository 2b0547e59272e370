// Quantum Fourier transform of the basis state |x⟩ on 4 qubits, then its inverse: measures x again.
// Run with e.g. `maml qasm examples/qasm/qft.qasm --input basis=5` (the result is 0101).
OPENQASM 3.0;
include "stdgates.inc";

input uint[4] basis;
const int n = 4;
qubit[n] q;
bit[n] c;

// QFT on 4 qubits, qubit 0 least significant: amplitude of |k⟩ is e^{2πi·x·k/16} / 4
gate qft a, b, c, d {
  h d; cp(pi/2) c, d; cp(pi/4) b, d; cp(pi/8) a, d;
  h c; cp(pi/2) b, c; cp(pi/4) a, c;
  h b; cp(pi/2) a, b;
  h a;
  swap a, d; swap b, c;
}

for uint i in [0:n-1] {
  if (bool(basis[i])) x q[i];
}
qft q[0], q[1], q[2], q[3];
inv @ qft q[0], q[1], q[2], q[3];
c = measure q;
