/**
 * maml_run: submits a document and returns its run id. When the client sends a progress token, the tool stays
 * until the run finishes, sending a progress notification per finished block, and returns the final status.
 */
import { z } from 'zod';
import { MAX_DOCUMENT_CHARS } from '../../document-body.js';
import { streamRunEvents } from '../../run-event-stream.js';
import { apiStatus } from '../../run-json.js';
import { finishedStatus } from '../../../runtime/index.js';
import { mayAllowRisk } from '../../auth/principal.js';
import type { McpTool } from '../tool.js';

export const mamlRunTool: McpTool = {
  name: 'maml_run',
  title: 'Run a MAML workflow',
  description:
    'Runs a MAML document on the gateway heads and returns its run id (poll with maml_get_run). With a progress token the call reports each finished block and returns when the run ends.',
  scope: 'maml:run',
  inputSchema: {
    document: z.string().max(MAX_DOCUMENT_CHARS).describe('the whole document text'),
    inputs: z.record(z.string(), z.unknown()).optional().describe('workflow inputs (checked against ## Input_Schema)'),
  },
  async run(ctx, args) {
    const { services, principal, progressToken } = ctx;
    const runId = await services.runs.submit({
      text: args['document'] as string,
      inputs: (args['inputs'] as Record<string, unknown> | undefined) ?? {},
      identity: principal.subject,
      allowRisk: mayAllowRisk(principal),
    });
    if (progressToken === undefined) return { runId, status: 'running' };
    let total = 0;
    let done = 0;
    const progress = (message: string): void =>
      void ctx
        .notify({ method: 'notifications/progress', params: { progressToken, progress: done, total, message } })
        .catch(() => undefined);
    const stream = streamRunEvents(services, runId, (event) => {
      if (event.type === 'run_started') total = event.data.blocks.length;
      // A block's last event (finishedStatus knows which types those are) is one step of progress.
      const status = finishedStatus(event);
      if (status === undefined) return;
      done++;
      progress(`block ${event.blockId ?? '?'} ${status}`);
    });
    ctx.signal.addEventListener('abort', () => stream.stop(), { once: true });
    await stream.done;
    const run = (await services.store.getRun(runId))?.run;
    return {
      runId,
      status: run ? apiStatus(run) : 'unknown',
      outputs: run?.outputs ?? null,
      error: run?.error ?? null,
    };
  },
};
