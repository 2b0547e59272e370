/**
 * A CLI command: a name, its help text, the options it accepts (node:util parseArgs format) and a run function.
 * Adding a command adds a file under commands/ and one line in commands/index.ts.
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
