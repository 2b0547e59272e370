// maml_get_run: a run's status, blocks, outputs and ticket ids.
import { z } from 'zod';
import { MamlError } from '../../../shared/index.js';
import { runJson } from '../../run-json.js';
import type { McpTool } from '../tool.js';

export const mamlGetRunTool: McpTool = {
  name: 'maml_get_run',
  title: 'Get a run',
  description: 'Returns a run: status, each block (head, status, duration, outputs, error), outputs and tickets.',
  scope: 'maml:read',
  inputSchema: { runId: z.string().min(1).max(64).describe('the id maml_run returned') },
  async run(ctx, args) {
    const run = await runJson(ctx.services, args['runId'] as string, ctx.principal);
    if (!run) throw new MamlError('not_found', `no run ${String(args['runId'])}`);
    return run;
  },
};
