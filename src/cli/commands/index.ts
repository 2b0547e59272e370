/** The registered commands, in the order `maml --help` lists them. */
import type { Command } from '../command.js';
import { fmtCommand } from './fmt.js';
import { inspectCommand } from './inspect.js';
import { runCommand } from './run.js';
import { runsCommand } from './runs.js';
import { validateCommand } from './validate.js';

export const COMMANDS: readonly Command[] = [validateCommand, inspectCommand, fmtCommand, runCommand, runsCommand];
