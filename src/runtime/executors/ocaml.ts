/**
 * OCaml blocks: Debian's `ocaml` toplevel runs the block as a script in the sandbox. A prelude defines
 * `maml_inputs` (the inputs as a JSON string) and `maml_output name json`, which prints an `::output` line.
 */
import { MamlError } from '../../shared/index.js';
import type { Executor } from './executor.js';
import { which } from './interpreter.js';
import { runScript } from './script-runner.js';

const PRELUDE = `let maml_inputs = try Sys.getenv "MAML_INPUTS" with Not_found -> "{}"
let maml_output name json = print_string ("::output " ^ name ^ "=" ^ json ^ "\\n"); flush stdout
`;

export const ocamlExecutor: Executor = {
  lang: 'ocaml',
  version: 'ocaml-1',
  headClass: 'ai',
  placement: 'head',
  sandboxed: true,
  async run(task, context) {
    const ocaml = which(process.env['MAML_OCAML'] ?? 'ocaml');
    if (!ocaml)
      throw new MamlError('missing_tool', `block ${task.blockId}: OCaml is not installed: apt-get install ocaml-nox`, {
        details: { install: 'ocaml-nox' },
      });
    // The line directive keeps error positions relative to the block, not to the prelude.
    const script = `${PRELUDE}# 1 "block ${task.blockId}"\n${task.source}\n`;
    return runScript(task, context, {
      files: { 'block.ml': script },
      argv: (dirs) => [ocaml, `${dirs.code}/block.ml`],
      readOnlyPaths: ocaml.startsWith('/usr/') ? [] : [ocaml],
      missingHint: (module) => `OCaml library '${module}' is not installed`,
    });
  },
};
