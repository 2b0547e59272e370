/**
 * qasm_simulate: runs an OpenQASM 2/3 program as a task on a quantum head, the way an OpenQASM block runs (the
 * same engine on the head's simulation thread, the same backend registry, the block's default timeout and memory
 * limit), so a long simulation never holds the gateway's event loop and is stopped at its timeout or when the
 * client cancels. Program errors come back as a tool error with every diagnostic.
 */
import { z } from 'zod';
import { MamlError } from '../../../shared/index.js';
import { DEFAULT_RUN_LIMITS, taskLimits, taskSpec } from '../../../runtime/index.js';
import { DEFAULT_SEED } from '../../../quantum/index.js';
import { NODE_BACKEND_NAMES } from '../../../quantum-node/index.js';
import type { McpTool } from '../tool.js';

/** The task's block id, as it appears in errors ("block qasm_simulate ran longer than …"). */
const TASK_ID = 'qasm_simulate';

export const qasmSimulateTool: McpTool = {
  name: 'qasm_simulate',
  title: 'Simulate an OpenQASM program',
  description:
    'Parses an OpenQASM 2.0 or 3 program and samples its measurements on a quantum head of the gateway, under the ' +
    'same time and memory limits as an OpenQASM block.',
  scope: 'maml:validate',
  inputSchema: {
    source: z.string().max(262_144).describe('the OpenQASM program'),
    shots: z.number().int().min(0).max(DEFAULT_RUN_LIMITS.maxShots).optional().describe('samples (default 1024)'),
    seed: z.number().int().optional().describe('sampling seed: same seed, same counts (default: a fixed seed)'),
    backend: z
      .enum(NODE_BACKEND_NAMES as [string, ...string[]])
      .optional()
      .describe('simulator backend (default auto)'),
  },
  async run(ctx, args) {
    const { limits } = ctx.services;
    const shots = (args['shots'] as number | undefined) ?? 1024;
    if (shots > limits.maxShots)
      throw new MamlError(
        'usage',
        `shots: ${shots} is more than this gateway allows (${limits.maxShots}, its --max-shots); ask for fewer`,
      );
    const seed = args['seed'] as number | undefined;
    const backend = args['backend'] as string | undefined;
    const spec = taskSpec({
      blockId: TASK_ID,
      lang: 'qasm',
      source: args['source'] as string,
      headClass: 'quantum',
      limits: taskLimits(limits, limits.defaultTimeoutMs),
      attributes: {
        shots: String(shots),
        // Without a seed the program's counts are the same on every call, as with `maml qasm`.
        seed: String(seed ?? DEFAULT_SEED),
        ...(backend === undefined ? {} : { backend }),
      },
    });
    const { result, head } = await ctx.services.pool.submit(spec, { signal: ctx.signal });
    return { counts: result.outputs['counts'], shots, head, durationMs: result.durationMs };
  },
};
