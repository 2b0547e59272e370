/** The registered commands, in the order `maml --help` lists them. */
import type { Command } from '../command.js';
import { auditCommand } from './audit.js';
import { decryptCommand } from './decrypt.js';
import { encryptCommand } from './encrypt.js';
import { fmtCommand } from './fmt.js';
import { inspectCommand } from './inspect.js';
import { keysCommand } from './keys.js';
import { mcpCommand } from './mcp.js';
import { qasmCommand } from './qasm.js';
import { runCommand } from './run.js';
import { runsCommand } from './runs.js';
import { scanCommand } from './scan.js';
import { serveCommand } from './serve.js';
import { validateCommand } from './validate.js';
import { verifyCommand } from './verify.js';

export const COMMANDS: readonly Command[] = [
  validateCommand,
  inspectCommand,
  fmtCommand,
  runCommand,
  runsCommand,
  qasmCommand,
  keysCommand,
  verifyCommand,
  auditCommand,
  encryptCommand,
  decryptCommand,
  scanCommand,
  serveCommand,
  mcpCommand,
];
