/**
 * Python blocks: the interpreter of the `python` tool (MAML_PYTHON, default python3), in the sandbox. The runner
 * gives the block a `maml` object (`maml.inputs`, `maml.output(name, value)`, `maml.quantum` calls over the head's
 * channel, docs/quantum-calls.md) and reports a missing module by name.
 */
import { QISKIT_HINT } from '../../format/index.js';
import { MamlError } from '../../shared/index.js';
import type { Executor } from './executor.js';
import { resolvePython } from './interpreter.js';
import { runScript } from './script-runner.js';
import { toolFrom } from './tools.js';
import type { ToolSpec } from './tools.js';

// The runner, run as `python -I _run.py <inputs> <block> <display name>`; -I keeps the user's site and env out.
const RUNNER = `import json, os, sys, traceback
_out = os.fdopen(3, "w", buffering=1)
def _plain(value):
    if hasattr(value, "tolist"):
        return value.tolist()
    if hasattr(value, "item"):
        return value.item()
    raise TypeError("maml.output: value of type %s is not JSON-serializable" % type(value).__name__)
class QuantumError(Exception):
    """A maml.quantum call the gateway refused or could not evaluate; .code is stable (limit_exceeded, …)."""
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
class _Quantum:
    Error = QuantumError
    def __init__(self):
        fd = os.environ.get("MAML_QUANTUM_FD")
        self._fd = int(fd) if fd else None
        self._denied = os.environ.get("MAML_QUANTUM") == "denied"
        self._buf = b""
        self._id = 0
    def _call(self, op, qasm, bindings, observables=None, shots=None, seed=None):
        request = {"op": op, "qasm": qasm, "bindings": bindings}
        if observables is not None:
            request["observables"] = observables
        if shots is not None:
            request["shots"] = shots
        if seed is not None:
            request["seed"] = seed
        return self._send(request)
    def _send(self, request):
        if self._fd is None:
            raise QuantumError("unavailable", "maml.quantum is not available to this block: " + (
                "the document's permissions.quantum is false" if self._denied else "it runs without a call channel"))
        self._id += 1
        request["id"] = self._id
        data = memoryview((json.dumps(request, default=_plain) + "\\n").encode())
        try:
            while data:
                data = data[os.write(self._fd, data):]
            while b"\\n" not in self._buf:
                chunk = os.read(self._fd, 1 << 16)
                if not chunk:
                    raise QuantumError("channel_closed", "the gateway closed the quantum-call channel")
                self._buf += chunk
        except OSError as e:
            raise QuantumError("channel_closed", "the quantum-call channel failed: %s" % e) from None
        line, _, self._buf = self._buf.partition(b"\\n")
        reply = json.loads(line)
        if not reply.get("ok"):
            error = reply.get("error") or {}
            if reply.get("id") is None and error.get("code") == "request_too_large":
                self._fd = None
            raise QuantumError(error.get("code", "unknown"), error.get("message", "quantum call failed"))
        return reply["results"]
    @staticmethod
    def _observables(observables):
        single = isinstance(observables, (str, dict))
        return single, [observables] if single else list(observables)
    def angle_encoding(self, features, rotation="ry"):
        return self._send({"op": "encode", "encoding": "angle", "features": list(features), "rotation": rotation})[0]
    def amplitude_encoding(self, values):
        return self._send({"op": "encode", "encoding": "amplitude", "features": list(values)})[0]
    def run(self, qasm, bindings=None, shots=1024, seed=None):
        return self._call("run", qasm, [bindings or {}], shots=shots, seed=seed)[0]["counts"]
    def run_batch(self, qasm, bindings_list, shots=1024, seed=None):
        return [r["counts"] for r in self._call("run", qasm, list(bindings_list), shots=shots, seed=seed)]
    def expectation(self, qasm, observables, bindings=None):
        return self.expectation_batch(qasm, observables, [bindings or {}])[0]
    def expectation_batch(self, qasm, observables, bindings_list):
        single, obs = self._observables(observables)
        results = self._call("expectation", qasm, list(bindings_list), observables=obs)
        return [r["values"][0] if single else r["values"] for r in results]
    def gradient(self, qasm, observables, bindings=None):
        return self.gradient_batch(qasm, observables, [bindings or {}])[0]
    def gradient_batch(self, qasm, observables, bindings_list):
        single, obs = self._observables(observables)
        results = self._call("gradient", qasm, list(bindings_list), observables=obs)
        if single:
            return [(r["values"][0], r["gradients"][0]) for r in results]
        return [(r["values"], r["gradients"]) for r in results]
class _Maml:
    QuantumError = QuantumError
    def __init__(self, inputs):
        self.inputs = inputs
        self.quantum = _Quantum()
    def output(self, name, value):
        _out.write(str(name) + "=" + json.dumps(value, default=_plain) + "\\n")
with open(sys.argv[1]) as f:
    maml = _Maml(json.load(f))
with open(sys.argv[2]) as f:
    code = compile(f.read(), sys.argv[3], "exec")
try:
    exec(code, {"__name__": "__main__", "maml": maml})
except ModuleNotFoundError as e:
    _out.write("!missing=" + json.dumps(e.name or str(e)) + "\\n")
    traceback.print_exc()
    sys.exit(1)
`;

const PYTHON: ToolSpec = {
  name: 'python',
  env: 'MAML_PYTHON',
  fallback: 'python3',
  description: 'Python interpreter (a command on PATH or a path; pyenv shims and virtual environments work)',
};

export const pythonExecutor: Executor = {
  lang: 'python',
  aliases: ['py', 'python3'],
  version: 'python-1',
  headClass: 'ai',
  placement: 'head',
  sandboxed: true,
  attributes: [],
  needs: { tools: [PYTHON], runResources: false },
  async run(task, context) {
    const python = resolvePython(toolFrom(context, PYTHON));
    if (!python)
      throw new MamlError(
        'missing_tool',
        `block ${task.blockId}: Python is not installed: apt-get install python3 (or set MAML_PYTHON to an interpreter)`,
        { details: { install: 'python3' } },
      );
    return runScript(task, context, {
      quantumCalls: true,
      files: { '_run.py': RUNNER, 'block.py': task.source },
      argv: (dirs) => [
        python.executable,
        '-I',
        `${dirs.code}/_run.py`,
        `${dirs.code}/inputs.json`,
        `${dirs.code}/block.py`,
        `block ${task.blockId}`,
      ],
      readOnlyPaths: python.readOnlyPaths,
      missingHint: (module) =>
        module.split('.')[0] === 'qiskit'
          ? `Python module 'qiskit' is not installed for ${python.executable}. ${QISKIT_HINT}`
          : `Python module '${module}' is not installed for ${python.executable}: pip install ${module.split('.')[0] ?? module}`,
      // Qiskit 1.0 and later is installed, but the block uses what it removed.
      diagnose: (outcome) =>
        /cannot import name '(?:Aer|execute)' from 'qiskit'/.test(outcome.stderr)
          ? `the block imports Aer or execute from qiskit. ${QISKIT_HINT}`
          : undefined,
    });
  },
};
