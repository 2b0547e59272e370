// qasm_simulate: runs an OpenQASM 2/3 program on the project's simulator and returns measurement counts.
import { z } from 'zod';
import { MamlError } from '../../../shared/index.js';
import { getSimulator, parseQasm } from '../../../quantum/index.js';
import type { McpTool } from '../tool.js';

export const qasmSimulateTool: McpTool = {
  name: 'qasm_simulate',
  title: 'Simulate an OpenQASM program',
  description: 'Parses an OpenQASM 2.0 or 3 program and samples its measurements on a state-vector simulator.',
  scope: 'maml:validate',
  inputSchema: {
    source: z.string().max(262_144).describe('the OpenQASM program'),
    shots: z.number().int().min(0).max(1_000_000).optional().describe('samples (default 1024)'),
    seed: z.number().int().optional().describe('sampling seed: same seed, same counts'),
  },
  async run(_ctx, args) {
    const parsed = parseQasm(args['source'] as string, { bindings: {} });
    const errors = parsed.diagnostics.filter((d) => d.severity === 'error');
    if (!parsed.circuit || errors.length > 0)
      throw new MamlError(
        'invalid_document',
        `the program has errors: ${errors.map((d) => `${d.line}:${d.column} ${d.message}`).join('; ')}`,
      );
    const result = await getSimulator('auto').simulate(parsed.circuit, {
      shots: (args['shots'] as number | undefined) ?? 1024,
      ...(args['seed'] === undefined ? {} : { seed: args['seed'] as number }),
    });
    return { counts: result.counts, shots: result.shots, qubits: result.qubits, backend: result.backend };
  },
};
