/** The registered commands, in the order `maml --help` lists them. */
import type { Command } from '../command.js';
import { decryptCommand } from './decrypt.js';
import { encryptCommand } from './encrypt.js';
import { keysCommand } from './keys.js';
import { scanCommand } from './scan.js';
import { verifyCommand } from './verify.js';

export const COMMANDS: readonly Command[] = [keysCommand, verifyCommand, encryptCommand, decryptCommand, scanCommand];
