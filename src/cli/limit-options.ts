/**
 * The operator caps of `maml run`, `maml serve` and `maml mcp` (runtime/run-limits.ts): `--max-timeout` and the
 * other flags over `limits:` in `.maml.yaml` over the defaults, compiled once here, where the command starts.
 */
import { RUN_LIMIT_KEYS, compileRunLimits } from '../runtime/index.js';
import type { RunLimitKey, RunLimitSettings, RunLimits } from '../runtime/index.js';
import { MamlError } from '../shared/index.js';
import type { CommandContext, OptionSpec } from './command.js';
import type { ProjectConfig } from './project-config.js';
import { stringOption } from './options.js';

const flagOf = (key: RunLimitKey): string => key.replace(/_/g, '-');

export const LIMIT_OPTIONS: OptionSpec = Object.fromEntries(
  RUN_LIMIT_KEYS.map((key) => [flagOf(key), { type: 'string' as const }]),
);

/** For the commands' help texts. */
export const LIMIT_HELP = `Limits (also \`limits:\` in .maml.yaml, e.g. \`max_timeout: 10m\`; a block asking for more is
refused before anything runs):
  --default-timeout <d> timeout of a block without timeout= (default 30s)
  --max-timeout <d>     longest timeout= a block may ask for (default 1h)
  --max-memory <size>   memory of one block (default 512MiB)
  --max-output <size>   output of one block: stdout, stderr, outputs as JSON, each (default 1MiB)
  --max-shots <n>       shots of an OpenQASM block (default 1000000)
  --max-qubits <n>      qubits of an OpenQASM program (default 1000)
  --max-blocks <n>      blocks to run in one document (default 1000)`;

export function runLimitsFrom(ctx: CommandContext, config: ProjectConfig): RunLimits {
  const settings: Record<string, string | number> = {};
  const fromFlag = new Set<RunLimitKey>();
  const file = config.limits ?? {};
  for (const [key, value] of Object.entries(file)) {
    if (!(RUN_LIMIT_KEYS as readonly string[]).includes(key))
      throw new MamlError(
        'usage',
        `${config.path ?? '.maml.yaml'}: unknown key \`limits.${key}\` (known: ${RUN_LIMIT_KEYS.join(', ')})`,
      );
    if (typeof value !== 'string' && typeof value !== 'number')
      throw new MamlError('usage', `${config.path ?? '.maml.yaml'}: limits.${key} must be a value such as 10m or 1GiB`);
    settings[key] = value;
  }
  // The MAML guides' `resources.memory_limit` is the memory of a block too; `limits.max_memory` wins over it.
  const fromResources = settings['max_memory'] === undefined && config.memoryLimitBytes !== undefined;
  if (fromResources) settings['max_memory'] = config.memoryLimitBytes as number;
  for (const key of RUN_LIMIT_KEYS) {
    const value = stringOption(ctx, flagOf(key));
    if (value === undefined) continue;
    settings[key] = value;
    fromFlag.add(key);
  }
  return compileRunLimits(settings as RunLimitSettings, (key) =>
    fromFlag.has(key) || settings[key] === undefined
      ? `--${flagOf(key)}`
      : key === 'max_memory' && fromResources
        ? `resources.memory_limit in ${config.path ?? '.maml.yaml'}`
        : `limits.${key} in ${config.path ?? '.maml.yaml'}`,
  );
}
