/**
 * A closed-loop HTTP load generator on node:http: `connections` keep-alive connections, each sending its next
 * request the moment the previous answer has been read, for a warm-up and then a measured period. Latency is
 * measured per request from just before it is written to the end of its response body; only requests that start
 * after the warm-up count. Used by bench-validate-main.ts (in worker threads, so it does not share the event loop
 * of the process that reports).
 */
import { Agent, request } from 'node:http';

export interface ClosedLoopOptions {
  readonly url: string;
  readonly method: 'POST' | 'GET';
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly connections: number;
  readonly warmupMs: number;
  readonly durationMs: number;
}

export interface ClosedLoopResult {
  /** Latency of every measured request, in ms. */
  readonly latencies: Float64Array;
  /** Measured requests that did not answer 2xx, or failed. */
  readonly failures: number;
  readonly statuses: Readonly<Record<string, number>>;
  /** Length of the measured period, in ms. */
  readonly elapsedMs: number;
}

function once(agent: Agent, url: URL, options: ClosedLoopOptions, body: Buffer): Promise<number> {
  return new Promise<number>((resolve) => {
    const req = request(
      url,
      { method: options.method, agent, headers: { ...options.headers, 'content-length': String(body.length) } },
      (res) => {
        res.on('data', () => undefined);
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', () => resolve(0));
      },
    );
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

export async function closedLoop(options: ClosedLoopOptions): Promise<ClosedLoopResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections, maxFreeSockets: options.connections });
  const url = new URL(options.url);
  const body = Buffer.from(options.body);
  const start = performance.now();
  const measureFrom = start + options.warmupMs;
  const end = measureFrom + options.durationMs;
  let latencies = new Float64Array(1 << 16);
  let count = 0;
  let failures = 0;
  const statuses: Record<string, number> = {};
  const loop = async (): Promise<void> => {
    for (;;) {
      const t0 = performance.now();
      if (t0 >= end) return;
      const status = await once(agent, url, options, body);
      if (t0 < measureFrom) continue;
      const t1 = performance.now();
      if (count === latencies.length) {
        const grown = new Float64Array(latencies.length * 2);
        grown.set(latencies);
        latencies = grown;
      }
      latencies[count++] = t1 - t0;
      statuses[String(status)] = (statuses[String(status)] ?? 0) + 1;
      if (status < 200 || status > 299) failures++;
    }
  };
  await Promise.all(Array.from({ length: options.connections }, loop));
  // Requests still in flight at `end` finish after it; the period counted ends with the last of them.
  const elapsedMs = Math.max(performance.now(), end) - measureFrom;
  agent.destroy();
  return { latencies: latencies.slice(0, count), failures, statuses, elapsedMs };
}
