/**
 * A Python block that imports Qiskit (as the seed documents' own example does: `from qiskit import QuantumCircuit,
 * Aer, execute`) gets a warning at the import: `Aer` and `execute` were removed in Qiskit 1.0, and the gateway's
 * sandbox has no Qiskit unless the operator installs it. The message says how to write the circuit instead.
 */
import type { Finding, Rule } from '../rule.js';

const IMPORT = /^[ \t]*(?:from[ \t]+qiskit(?:\.[\w.]+)?[ \t]+import\b|import[ \t]+qiskit\b)/;

export const QISKIT_HINT =
  "Qiskit's `Aer` and `execute` were removed in Qiskit 1.0 and the sandbox has no Qiskit by default: write the circuit as a ```qasm block (OpenQASM 3) and read its `counts` in a block that `needs=` it, or call `maml.quantum.run(qasm, shots=1024)` from this block (docs/quantum-calls.md)";

export const qiskitImport: Rule = {
  id: 'qiskit-import',
  description: 'Python blocks that import Qiskit get a hint to use a qasm block or maml.quantum instead.',
  check(ctx) {
    const findings: Finding[] = [];
    for (const block of ctx.doc.blocks) {
      if (block.lang !== 'python' || !block.code.includes('qiskit')) continue;
      let offset = block.codeStart.offset;
      const lines = block.code.split('\n');
      for (const [i, line] of lines.entries()) {
        const match = IMPORT.exec(line);
        if (match) {
          // The code's lines start where the document's do, after the fence's indentation (at most 3 spaces).
          const start = ctx.doc.text.indexOf(line.trimStart(), offset);
          const at = start >= 0 ? start : offset;
          const column = at - offset + 1;
          const point = { line: block.codeStart.line + i, column, offset: at };
          findings.push({
            code: 'qiskit_import',
            severity: 'warning',
            message: `block ${block.id} imports Qiskit. ${QISKIT_HINT}`,
            place: {
              start: point,
              end: { ...point, column: column + line.trim().length, offset: at + line.trim().length },
            },
          });
          break;
        }
        const nl = ctx.doc.text.indexOf('\n', offset);
        if (nl < 0) break;
        offset = nl + 1;
      }
    }
    return findings;
  },
};
