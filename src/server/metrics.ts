/**
 * Prometheus metrics (prom-client), in a registry per gateway so several gateways in one process (tests) do not
 * share counters. Head state and queue depth are read from the pool at scrape time.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { HeadPool } from '../runtime/index.js';
import type { ValidationPool } from './validation/index.js';

/** Error codes that mean the sandbox killed a block, and the reason label they get. */
const KILL_REASONS: Readonly<Record<string, string>> = {
  timeout: 'timeout',
  resource_limit: 'resource_limit',
  head_lost: 'head_lost',
};

export class GatewayMetrics {
  readonly registry = new Registry();
  readonly httpDuration = new Histogram({
    name: 'maml_http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status code',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly runs = new Counter({
    name: 'maml_runs_total',
    help: 'Runs finished, by final status',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });
  readonly runsInFlight = new Gauge({
    name: 'maml_runs_in_flight',
    help: 'Runs submitted and not finished',
    registers: [this.registry],
  });
  readonly blockDuration = new Histogram({
    name: 'maml_block_duration_seconds',
    help: 'Block duration by executor (language) and head',
    labelNames: ['executor', 'head', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });
  readonly ticketsIssued = new Counter({
    name: 'maml_tickets_issued_total',
    help: 'Signed execution tickets appended to the audit log',
    registers: [this.registry],
  });
  readonly sandboxKills = new Counter({
    name: 'maml_sandbox_kills_total',
    help: 'Blocks killed by the sandbox or supervisor, by reason',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  constructor(pool: HeadPool, validation?: ValidationPool) {
    const headUp = new Gauge({
      name: 'maml_head_up',
      help: '1 when the head process is running and ready, else 0',
      labelNames: ['head', 'class'] as const,
      registers: [this.registry],
      collect() {
        headUp.reset();
        for (const head of pool.info()) headUp.set({ head: head.name, class: head.headClass }, head.ready ? 1 : 0);
      },
    });
    new Gauge({
      name: 'maml_queue_depth',
      help: 'Block tasks waiting for a free head',
      registers: [this.registry],
      collect() {
        this.set(pool.queued);
      },
    });
    if (validation) validationMetrics(this.registry, validation);
    collectDefaultMetrics({ register: this.registry, prefix: 'maml_process_' });
  }

  blockFinished(lang: string, head: string | null, status: string, durationMs: number | null, code?: string): void {
    if (durationMs !== null)
      this.blockDuration.observe({ executor: lang, head: head ?? 'none', status }, durationMs / 1000);
    const reason = code === undefined ? undefined : KILL_REASONS[code];
    if (reason !== undefined) this.sandboxKills.inc({ reason });
  }
}

/** The validation pool, read at scrape time: nothing is counted per request. */
function validationMetrics(registry: Registry, validation: ValidationPool): void {
  new Gauge({
    name: 'maml_validate_threads',
    help: 'Worker threads that parse and validate documents',
    registers: [registry],
    collect() {
      this.set(validation.threads);
    },
  });
  new Gauge({
    name: 'maml_validate_busy_threads',
    help: 'Validation worker threads working on a document',
    registers: [registry],
    collect() {
      this.set(validation.busy);
    },
  });
  new Gauge({
    name: 'maml_validate_queue_depth',
    help: 'Documents waiting for a free validation worker',
    registers: [registry],
    collect() {
      this.set(validation.queued);
    },
  });
  const replaced = new Counter({
    name: 'maml_validate_workers_replaced_total',
    help: 'Validation workers that crashed or timed out and were replaced, by reason',
    labelNames: ['reason'] as const,
    registers: [registry],
    collect() {
      replaced.reset();
      for (const [reason, n] of Object.entries(validation.replacements())) replaced.inc({ reason }, n);
    },
  });
}
