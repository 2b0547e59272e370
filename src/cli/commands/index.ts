/** The registered commands, in the order `maml --help` lists them. */
import type { Command } from '../command.js';
import { keysCommand } from './keys.js';

export const COMMANDS: readonly Command[] = [keysCommand];
