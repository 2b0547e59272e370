// The hybrid-loop examples run as documents at small size: the VQE of H₂ reaches chemical accuracy within its
// iteration bound, and QAOA finds ⟨C⟩ = 3 on the 4-ring at γ = π/4, β = π/8 and does better with p = 2 than p = 1
// on the 10-node 3-regular graph. Each run's block ticket records its quantum calls.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { decodeTicket, TransparencyLog } from '../../src/crypto/index.js';
import { parse } from '../../src/format/index.js';
import {
  AUDIT_LOG_ORIGIN,
  DatabaseLogStore,
  ephemeralHeadSigners,
  runWorkflow,
  ticketIssuer,
} from '../../src/runtime/index.js';
import { NEEDS_BWRAP, useRuntimeFixture } from '../helpers/runtime-fixture.js';

const skip = NEEDS_BWRAP;
const rt = useRuntimeFixture('ai:1');
/** The exact (full CI) ground-state energy of H₂ in STO-3G at 0.735 Å, and chemical accuracy. */
const H2_ENERGY = -1.1373060357534;
const CHEMICAL_ACCURACY = 1.6e-3;

async function runExample(name: string, inputs: Record<string, unknown> = {}) {
  const path = `examples/${name}`;
  const doc = parse(readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8'));
  const log = await TransparencyLog.open(new DatabaseLogStore(rt.db), AUDIT_LOG_ORIGIN);
  const report = await runWorkflow({
    doc,
    documentPath: path,
    inputs,
    pool: rt.pool,
    store: rt.store,
    tickets: ticketIssuer(rt.db, ephemeralHeadSigners(), log),
  });
  assert.equal(report.status, 'succeeded', JSON.stringify(report.blocks.map((b) => b.error)));
  const rows = await rt.db.query('SELECT compact FROM maml.tickets WHERE run_id = $1', [report.runId]);
  const tickets = rows.rows.map((r) => decodeTicket(String(r['compact'])));
  return { outputs: report.outputs as Record<string, unknown>, tickets };
}

test(
  'VQE for H2 converges to the FCI energy within chemical accuracy in a bounded number of steps',
  { skip },
  async () => {
    const { outputs, tickets } = await runExample('vqe-h2.maml.md');
    const energy = outputs['energy'] as number;
    assert.ok(Math.abs(energy - H2_ENERGY) < CHEMICAL_ACCURACY, `energy ${energy}`);
    assert.equal(outputs['chemical_accuracy'], true);
    const iterations = outputs['iterations'] as number;
    assert.ok(iterations <= 300, `${iterations} iterations`);
    // The variational principle: no energy below the exact ground state (beyond rounding).
    assert.ok(energy > H2_ENERGY - 1e-9);
    const [ticket] = tickets;
    assert.ok(ticket?.ok && ticket.ticket.v === 2);
    assert.equal(ticket.ticket.quantum?.calls, iterations, 'one gradient evaluation per iteration');
  },
);

test(
  'QAOA: <C> = 3 on the 4-ring at gamma = pi/4, beta = pi/8; p = 2 beats p = 1 on the 3-regular graph',
  { skip },
  async () => {
    const { outputs } = await runExample('qaoa-maxcut.maml.md', { grid: 6, iterations: 10 });
    const ring = outputs['ring_p1'] as { expected_cut: number; gamma: number; beta: number };
    assert.ok(Math.abs(ring.expected_cut - 3) < 1e-9, JSON.stringify(ring));
    assert.ok(Math.abs(ring.gamma - Math.PI / 4) < 1e-12 && Math.abs(ring.beta - Math.PI / 8) < 1e-12);
    const p1 = (outputs['graph_p1'] as { expected_cut: number }).expected_cut;
    const p2 = (outputs['graph_p2'] as { expected_cut: number }).expected_cut;
    assert.ok(p2 > p1 + 0.5, `p = 2 gives ${p2}, p = 1 gives ${p1}`);
    assert.ok(p2 <= 15, 'never more than every edge');
    assert.equal(outputs['p2_beats_p1'], true);
    const sampled = outputs['sampled_cut'] as { cut_edges: number };
    assert.ok(
      sampled.cut_edges >= Math.floor(p2),
      'the most frequent sample cuts at least the expected number of edges',
    );
  },
);
