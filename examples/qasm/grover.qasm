// Grover search on 3 qubits for the marked state |101⟩, two iterations.
// Success probability sin²(5·asin(1/√8)) ≈ 0.9453.
OPENQASM 3.0;
include "stdgates.inc";

// phase flip on |101⟩ (q[0] = 1, q[1] = 0, q[2] = 1)
gate oracle a, b, c {
  x b;
  ctrl(2) @ z a, b, c;
  x b;
}

// reflection about the uniform superposition
gate diffuser a, b, c {
  h a; h b; h c;
  x a; x b; x c;
  ctrl(2) @ z a, b, c;
  x a; x b; x c;
  h a; h b; h c;
}

qubit[3] q;
bit[3] c;

h q;
for uint k in [1:2] {
  oracle q[0], q[1], q[2];
  diffuser q[0], q[1], q[2];
}
c = measure q;
