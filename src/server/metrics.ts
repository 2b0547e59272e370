/**
 * Prometheus metrics (prom-client), in a registry per gateway so several gateways in one process (tests) do not
 * share counters. Head state and queue depth are read from the pool at scrape time. Every name passes
 * `promtool check metrics` (a test runs it on a live scrape).
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

/** prom-client's default metrics already start with `process_` or `nodejs_`: only the project prefix is added. */
const DEFAULT_METRICS_PREFIX = 'maml_';
const GAUGES_NAMED_LIKE_COUNTERS = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
] as const;

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
  readonly runsRefused = new Counter({
    name: 'maml_runs_refused_total',
    help: 'Run submissions refused with 503 because --max-runs runs were queued or running',
    registers: [this.registry],
  });
  readonly connectionsRefused = new Counter({
    name: 'maml_http_connections_refused_total',
    help: 'Requests answered 503 because --max-connections connections were open',
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
    const sources = this.connectionSources;
    new Gauge({
      name: 'maml_http_connections',
      help: 'Open HTTP connections (WebSockets included)',
      registers: [this.registry],
      collect() {
        let open = 0;
        for (const read of sources) open += read();
        this.set(open);
      },
    });
    const admission = (): typeof this.admission => this.admission;
    new Gauge({
      name: 'maml_runs_admitted',
      help: 'Runs counted against --max-runs: being recorded, waiting for a head or running',
      registers: [this.registry],
      collect() {
        this.set(admission()?.admittedRuns ?? 0);
      },
    });
    new Gauge({
      name: 'maml_runs_admitted_max',
      help: 'The --max-runs admission limit',
      registers: [this.registry],
      collect() {
        this.set(admission()?.maxRuns ?? 0);
      },
    });
    if (validation) validationMetrics(this.registry, validation);
    collectDefaultMetrics({ register: this.registry, prefix: DEFAULT_METRICS_PREFIX });
    // prom-client names three gauges `…_total`, a suffix Prometheus reserves for counters (promtool refuses them).
    // Each is the sum of a labelled gauge it also exports (`maml_nodejs_active_handles` by type, …), so they go.
    for (const name of GAUGES_NAMED_LIKE_COUNTERS) this.registry.removeSingleMetric(DEFAULT_METRICS_PREFIX + name);
  }

  /** Connection counts of the gateways serving these metrics (tests run several on one set of services). */
  private readonly connectionSources = new Set<() => number>();
  private admission: { readonly admittedRuns: number; readonly maxRuns: number } | undefined;

  /** Reports a gateway's open connections in `maml_http_connections`; the function returned stops it. */
  watchConnections(read: () => number): () => void {
    this.connectionSources.add(read);
    return () => this.connectionSources.delete(read);
  }

  /** Reports the run manager's admitted runs and its limit. */
  watchAdmission(source: { readonly admittedRuns: number; readonly maxRuns: number }): void {
    this.admission = source;
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
