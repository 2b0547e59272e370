/**
 * The `maml` entry point: picks the command, loads its module (and only that one), parses its options strictly,
 * runs it and exits with its code. Usage errors exit 2 and say how to get help; unexpected errors are reported by
 * code, never as a stack trace unless MAML_DEBUG is set. Keep this file's imports light: everything it imports
 * is loaded by every command, `maml --version` included.
 */
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { COMMANDS } from './commands/index.js';
import type { Output } from './output.js';
import { exitCodeFor } from '../shared/error-mapping.js';
import { MamlError, serializeError } from '../shared/errors.js';
import type { Command } from './command.js';

export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    'maml: validate, inspect, format and run MAML (.maml.md) workflows',
    '',
    'Usage: maml <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Options:',
    '  -h, --help     show help (also `maml <command> --help`)',
    '  -v, --version  print the version',
    '',
    'Run `maml <command> --help` for the options of a command.',
  ].join('\n');
}

function usageError(out: Output, message: string, command?: Pick<Command, 'name'>): number {
  out.error(`maml: ${message}`);
  out.error(command ? `Run \`maml ${command.name} --help\` for usage.` : 'Run `maml --help` for the list of commands.');
  return 2;
}

export async function main(argv: readonly string[], out: Output, cwd: string): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
    const topic = first === 'help' ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
    out.print(topic ? (await topic.load()).help : mainHelp());
    return 0;
  }
  if (first === '-v' || first === '--version') {
    out.print(version());
    return 0;
  }
  const entry = COMMANDS.find((c) => c.name === first);
  if (!entry) {
    const near = COMMANDS.filter((c) => c.name.startsWith(first.slice(0, 2))).map((c) => c.name);
    const hint = near.length > 0 ? ` Did you mean ${near.map((n) => `\`${n}\``).join(' or ')}?` : '';
    return usageError(out, `unknown command \`${first}\`.${hint}`);
  }
  const command = await entry.load();
  let parsed;
  try {
    parsed = parseArgs({
      args: [...rest],
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    return usageError(out, (error as Error).message, command);
  }
  if (parsed.values['help'] === true) {
    out.print(command.help);
    return 0;
  }
  try {
    // The sandbox's host programs and user come from this process's environment, read here once (a small module:
    // commands that run nothing pay almost nothing for it).
    const { configureHostTools, hostToolsFrom } = await import('../runtime/sandbox/host-tools.js');
    configureHostTools(hostToolsFrom(process.env));
    // Likewise the WebGPU backend's measurement knobs (MAML_GPU_*, MAML_WEBGPU_FLAGS).
    const { configureGpuTuning, gpuTuningFrom } = await import('../quantum-gpu/gpu-tuning.js');
    configureGpuTuning(gpuTuningFrom(process.env));
    return await command.run({ values: parsed.values, positionals: parsed.positionals, out, cwd });
  } catch (error) {
    const data = serializeError(error);
    if (data.code === 'usage') return usageError(out, data.message, command);
    out.error(`maml ${command.name}: ${data.code}: ${data.message}`);
    if (process.env['MAML_DEBUG'] && error instanceof Error && !(error instanceof MamlError))
      out.error(error.stack ?? '');
    return exitCodeFor(data.code);
  }
}
