/**
 * maml_verify: checks every ticket of a run — ML-DSA signature under a gateway key, and RFC 9162 inclusion in the
 * audit log at its current size — and that every executed block has one.
 */
import { z } from 'zod';
import { hashLeaf, utf8ToBytes, verifyInclusion, verifyTicket } from '../../../crypto/index.js';
import { MamlError } from '../../../shared/index.js';
import { runJson } from '../../run-json.js';
import type { McpTool } from '../tool.js';

export const mamlVerifyTool: McpTool = {
  name: 'maml_verify',
  title: 'Verify a run',
  description:
    'Verifies the signed execution tickets of a run: signatures, inclusion proofs in the audit log, one ticket per executed block.',
  scope: 'maml:read',
  inputSchema: { runId: z.string().min(1).max(64) },
  async run(ctx, args) {
    const { services } = ctx;
    const runId = args['runId'] as string;
    const run = await runJson(services, runId, ctx.principal);
    if (!run) throw new MamlError('not_found', `no run ${runId}`);
    const keys = await services.keyLookup();
    const rows = await services.tickets.byRun(runId);
    const size = services.log.size;
    const root = services.log.root(size);
    const tickets = rows.map((r) => {
      const index = r.logIndex;
      const compact = r.compact;
      const check = verifyTicket(compact, { keys });
      const included = verifyInclusion(
        hashLeaf(utf8ToBytes(compact)),
        index,
        size,
        services.log.inclusionProof(index, size),
        root,
      );
      return {
        id: String(index),
        blockId: r.blockId,
        signature: check.ok,
        included,
        failures: check.failures.map((f) => f.message),
      };
    });
    const executed = run.blocks.filter((b) => b.status !== 'skipped' && !b.cached && b.attempts > 0).map((b) => b.id);
    const missing = executed.filter((id) => !tickets.some((t) => t.blockId === id && t.signature && t.included));
    return {
      runId,
      ok: missing.length === 0 && tickets.every((t) => t.signature && t.included),
      treeSize: size,
      tickets,
      missing,
    };
  },
};
