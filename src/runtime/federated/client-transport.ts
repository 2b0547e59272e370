/**
 * Where a federated client's training block runs. The coordinator asks a transport to run the client block for
 * one client with the global weights; the client reads its own data where it is and answers with an update and a
 * sample count. `headTransport` runs each client as one task on this gateway's head pool (one simulated client
 * per head run). Clients on `maml worker`s elsewhere plug in here as another transport; the secure-aggregation
 * client (SecAggClient) then runs beside the block on the worker, and only protocol messages come back.
 */
import { taskLimits } from '../run-limits.js';
import { taskSpec } from '../task-spec.js';
import type { HeadPool } from '../heads/index.js';
import type { PlannedBlock, RunPlan } from '../scheduler/run-plan.js';

export interface ClientRun {
  readonly outputs: Readonly<Record<string, unknown>>;
  readonly head: string;
  readonly durationMs: number;
}

export interface ClientTransport {
  /** Runs `block` with `inputs` for one client; rejects when the client fails (it then counts as dropped). */
  run(block: PlannedBlock, inputs: Readonly<Record<string, unknown>>, signal?: AbortSignal): Promise<ClientRun>;
}

export function headTransport(pool: HeadPool, plan: RunPlan): ClientTransport {
  return {
    async run(block, inputs, signal) {
      const spec = taskSpec({
        blockId: block.id,
        lang: block.lang,
        source: block.source,
        inputs,
        limits: taskLimits(plan.limits, block.timeoutMs),
        permissions: { network: plan.network === false || plan.network === true ? plan.network : [...plan.network] },
        headClass: block.headClass,
        unsafeNoSandbox: plan.unsafeNoSandbox,
        attributes: block.attributes,
        codeLine: block.codeLine,
      });
      const submitted = await pool.submit(spec, {
        ...(block.headName !== null ? { headName: block.headName } : {}),
        ...(signal ? { signal } : {}),
      });
      return { outputs: submitted.result.outputs, head: submitted.head, durationMs: submitted.result.durationMs };
    },
  };
}
