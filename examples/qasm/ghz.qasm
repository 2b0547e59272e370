// GHZ state on 5 qubits: counts split between 00000 and 11111.
OPENQASM 3.0;
include "stdgates.inc";

const int n = 5;
qubit[n] q;
bit[n] c;

h q[0];
for uint i in [0:n-2] {
  cx q[i], q[i + 1];
}
c = measure q;
