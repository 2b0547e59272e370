/**
 * Python blocks: the interpreter of the `python` tool (MAML_PYTHON, default python3), in the sandbox. The runner
 * gives the block a `maml` object (`maml.inputs`, `maml.output(name, value)`) and reports a missing module by name.
 */
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
class _Maml:
    def __init__(self, inputs):
        self.inputs = inputs
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
        `Python module '${module}' is not installed for ${python.executable}: pip install ${module.split('.')[0] ?? module}`,
    });
  },
};
