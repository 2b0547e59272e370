/**
 * bash and sh blocks. Inputs arrive as JSON in $MAML_INPUTS (and the file $MAML_INPUTS_FILE); outputs are
 * reported with the `maml_output NAME VALUE` function defined before the block runs (it writes `NAME=VALUE` to
 * fd 3), or by printing `::output NAME=VALUE`. VALUE is JSON; anything that is not valid JSON is kept as a string.
 */
import type { Executor } from './executor.js';
import { runScript } from './script-runner.js';

const PRELUDE = `maml_output() { printf '%s=%s\\n' "$1" "$2" >&3; }\n`;

function shellExecutor(lang: string, shell: string, aliases: readonly string[]): Executor {
  return {
    lang,
    aliases,
    version: `${lang}-1`,
    headClass: 'ai',
    placement: 'head',
    sandboxed: true,
    attributes: [],
    // The sandbox's own /bin shells (the host's /usr, read-only), not configurable.
    needs: { tools: [], runResources: false },
    run: (task, context) =>
      runScript(task, context, {
        files: { 'prelude.sh': PRELUDE, 'block.sh': task.source },
        argv: (dirs) => [shell, '-c', `. ${dirs.code}/prelude.sh; . ${dirs.code}/block.sh`, `block-${task.blockId}`],
        missingHint: (module) => `command '${module}' is not installed`,
        diagnose: (outcome) => {
          const match = /(?:^|\n)[^\n]*?: (?:line \d+: )?([\w.+-]+): (?:command )?not found/.exec(outcome.stderr);
          return match && outcome.exitCode === 127
            ? `command '${match[1]}' is not installed (apt-get install the package that provides it)`
            : undefined;
        },
      }),
  };
}

// `zsh` blocks run in bash: close enough for the scripts such blocks hold, and no zsh in the sandbox to rely on.
export const bashExecutor = shellExecutor('bash', '/bin/bash', ['shell', 'zsh']);
export const shExecutor = shellExecutor('sh', '/bin/sh', []);
