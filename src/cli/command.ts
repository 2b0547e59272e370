/**
 * A CLI command: a name, its help text, the options it accepts (node:util parseArgs format) and a run function.
 * Adding a command adds a file under commands/ and one entry in commands/index.ts, which loads the file only
 * when the command is run or its help is asked for.
 */
import type { ParseArgsConfig } from 'node:util';
import type { Output } from './output.js';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface CommandContext {
  readonly values: Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;
  readonly positionals: readonly string[];
  readonly out: Output;
  readonly cwd: string;
}

export interface Command {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** Usage line(s) and option descriptions for `maml <name> --help`. */
  readonly help: string;
  readonly options: OptionSpec;
  /** Resolves to the process exit code. */
  run(ctx: CommandContext): Promise<number>;
}

/**
 * A command as the registry knows it before loading it: enough for `maml --help` and for finding the command.
 * `load` imports the command's module, so `maml <name>` loads that command's dependencies and no other's.
 */
export interface CommandEntry {
  readonly name: string;
  /** One line for the command list; the same text as the loaded command's `summary` (a test checks). */
  readonly summary: string;
  load(): Promise<Command>;
}
