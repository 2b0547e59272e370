/**
 * OCaml blocks: Debian's `ocaml` toplevel runs the block as a script in the sandbox. A prelude defines
 * `maml_inputs` (the inputs as a JSON string, read from $MAML_INPUTS_FILE) and `maml_output name json`, which
 * prints an `::output` line. The prelude ends with `;;` so that a block may start with an expression
 * (`print_endline "hi"`), and a line directive makes the toplevel report the block's own line numbers.
 */
import { MamlError } from '../../shared/index.js';
import type { Executor } from './executor.js';
import { which } from './interpreter.js';
import { runScript } from './script-runner.js';
import { toolFrom } from './tools.js';
import type { ToolSpec } from './tools.js';

const PRELUDE = `let maml_inputs =
  match Sys.getenv_opt "MAML_INPUTS_FILE" with
  | None -> "{}"
  | Some path ->
    let ic = open_in_bin path in
    let text = really_input_string ic (in_channel_length ic) in
    close_in ic;
    text
let maml_output name json = print_string ("::output " ^ name ^ "=" ^ json ^ "\\n"); flush stdout;;
`;

const OCAML: ToolSpec = {
  name: 'ocaml',
  env: 'MAML_OCAML',
  fallback: 'ocaml',
  description: 'OCaml toplevel that runs a block as a script',
};

export const ocamlExecutor: Executor = {
  lang: 'ocaml',
  aliases: ['ml'],
  version: 'ocaml-2',
  headClass: 'ai',
  placement: 'head',
  sandboxed: true,
  attributes: [],
  needs: { tools: [OCAML], runResources: false },
  async run(task, context) {
    const ocaml = which(toolFrom(context, OCAML) ?? 'ocaml');
    if (!ocaml)
      throw new MamlError('missing_tool', `block ${task.blockId}: OCaml is not installed: apt-get install ocaml-nox`, {
        details: { install: 'ocaml-nox' },
      });
    // The line directive keeps error positions relative to the block, not to the prelude.
    const script = `${PRELUDE}# 1 "block ${task.blockId.replace(/["\\\n]/g, '_')}"\n${task.source}\n`;
    return runScript(task, context, {
      files: { 'block.ml': script },
      argv: (dirs) => [ocaml, `${dirs.code}/block.ml`],
      readOnlyPaths: ocaml.startsWith('/usr/') ? [] : [ocaml],
      missingHint: (module) => `OCaml library '${module}' is not installed`,
    });
  },
};
