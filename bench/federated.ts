/**
 * Secure aggregation benchmark: one round of Bonawitz et al. double masking for n clients x d parameters, timed
 * step by step. The server's aggregation work (adding the masked inputs, rebuilding seeds from shares, removing
 * masks) has the issue's target of < 1 s for 10 clients x 1M parameters; the whole round, with clients working in
 * parallel as they would on their own machines (key setup + the slowest client's masking + the server), has the
 * seeds' < 5 s. Clients run one after another here, so each client's time is measured on its own. Also: how the
 * server's time grows with clients and parameters, and what dropout recovery adds. Times are CPU time (cpuMs).
 */
import {
  fixedPointCodec,
  SecAggClient,
  SecAggServer,
  seededRandom,
  type MaskedInput,
  type UnmaskResponse,
  type Withdraw,
} from '../src/federated/index.js';
import type { BenchRow, BenchSuite } from './harness.js';

/**
 * CPU time of this process in milliseconds. The work is single-threaded, so on an idle core it equals wall time;
 * on a shared, loaded machine wall time measures the neighbours, CPU time still measures this code.
 */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

const SUITE = 'federated';

interface RoundTiming {
  readonly setupMs: number;
  readonly maxClientMaskMs: number;
  readonly serverMs: number;
  readonly ok: boolean;
}

async function round(clients: number, params: number, dropouts: number): Promise<RoundTiming> {
  const codec = fixedPointCodec({ range: 1, clients, maxWeight: 1 });
  if (typeof codec === 'string') throw new Error(codec);
  const random = seededRandom(`bench-${clients}-${params}`);
  const update = Float64Array.from({ length: params }, (_, i) => Math.sin(i) * 0.5);
  const threshold = Math.max(2, Math.floor((2 * clients) / 3) + 1);
  const server = new SecAggServer({ round: 'bench', threshold, vectorLength: params + 1 });
  const agents = Array.from({ length: clients }, (_, i) => new SecAggClient(`c${String(i).padStart(3, '0')}`, random));
  let t = cpuMs();
  const roster = server.receiveKeys(agents.map((a) => a.advertise()));
  if (!roster.ok) throw new Error(roster.message);
  const shares = [];
  for (const a of agents) shares.push(await a.shareKeys(roster.value));
  const relayed = server.receiveShares(shares);
  if (!relayed.ok) throw new Error(relayed.message);
  // Key setup is spread over the clients too; count the server's part plus one client's share.
  const setupMs = (cpuMs() - t) / clients;
  let maxClientMaskMs = 0;
  const masked: (MaskedInput | Withdraw)[] = [];
  relayed.value.forEach((s, i) => {
    if (i < dropouts) return; // these clients drop after sharing their keys
    const c0 = cpuMs();
    masked.push((agents[i] as SecAggClient).maskInput(s, codec, update, 1));
    maxClientMaskMs = Math.max(maxClientMaskMs, cpuMs() - c0);
  });
  const survivors = agents.slice(dropouts);
  t = cpuMs();
  const request = server.receiveMasked(masked);
  if (!request.ok) throw new Error(request.message);
  let serverMs = cpuMs() - t;
  const responses: UnmaskResponse[] = survivors.map((a) => a.unmask(request.value));
  t = cpuMs();
  const result = await server.finish(responses);
  serverMs += cpuMs() - t;
  return { setupMs, maxClientMaskMs, serverMs, ok: result.ok };
}

export const federatedSuite: BenchSuite = {
  name: 'federated',
  async run({ quick, log }) {
    const rows: BenchRow[] = [];
    const big = quick ? 10_000 : 1_000_000;
    await round(3, 1000, 0); // warm-up
    const main = await round(10, big, 0);
    const whole = main.setupMs + main.maxClientMaskMs + main.serverMs;
    log(`10 x ${big}: server ${main.serverMs.toFixed(0)} ms, slowest client ${main.maxClientMaskMs.toFixed(0)} ms`);
    rows.push(
      {
        suite: SUITE,
        case: `server aggregation, 10 clients x ${big} params`,
        value: main.serverMs,
        unit: 'ms',
        target: '< 1000 ms',
        met: main.serverMs < 1000 && main.ok,
      },
      { suite: SUITE, case: 'client masking (slowest of 10)', value: main.maxClientMaskMs, unit: 'ms' },
      {
        suite: SUITE,
        case: 'round, clients in parallel',
        value: whole,
        unit: 'ms',
        target: '< 5000 ms',
        met: whole < 5000 && main.ok,
        note: 'key setup + slowest client + server',
      },
    );
    const drop = await round(10, big, 2);
    rows.push({
      suite: SUITE,
      case: 'server with 2 of 10 dropped after sharing keys',
      value: drop.serverMs,
      unit: 'ms',
      note: `${(drop.serverMs / main.serverMs).toFixed(2)}x the no-dropout server time`,
    });
    const small = quick ? 2000 : 100_000;
    for (const n of [5, 10, 20, 40]) {
      const r = await round(n, small, 0);
      rows.push({ suite: SUITE, case: `server, ${n} clients x ${small} params`, value: r.serverMs, unit: 'ms' });
      rows.push({
        suite: SUITE,
        case: `slowest client, ${n} clients x ${small} params`,
        value: r.maxClientMaskMs,
        unit: 'ms',
      });
    }
    for (const d of quick ? [1000, 10_000] : [10_000, 100_000, 1_000_000]) {
      const r = await round(10, d, 0);
      rows.push({ suite: SUITE, case: `server, 10 clients x ${d} params`, value: r.serverMs, unit: 'ms' });
    }
    return rows;
  },
};
