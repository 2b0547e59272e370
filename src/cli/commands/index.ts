/** The registered commands, in the order `maml --help` lists them. */
import type { Command } from '../command.js';
import { qasmCommand } from './qasm.js';

export const COMMANDS: readonly Command[] = [qasmCommand];
