export type { Command, CommandContext, CommandEntry, OptionSpec } from './command.js';
export { main, version } from './main.js';
export { createOutput, colorEnabled } from './output.js';
export type { Output, Style } from './output.js';
export { COMMANDS } from './commands/index.js';
