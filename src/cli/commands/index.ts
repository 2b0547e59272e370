/** The registered commands, in the order `maml --help` lists them. */
import type { Command } from '../command.js';

export const COMMANDS: readonly Command[] = [];
