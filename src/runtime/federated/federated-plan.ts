/**
 * Reads a planned run as a federated workflow: the `federated:` front matter compiled (its issues as diagnostics
 * at their front-matter place), the client block and the optional evaluation block found, and the noise
 * multiplier fixed (given, or computed up front from the target epsilon with the Rényi DP accountant).
 */
import { placeFinder, type MamlDocument } from '../../format/index.js';
import { compileFederatedConfig, noiseForEpsilon, type FederatedConfig } from '../../federated/index.js';
import { diagnostic, type Diagnostic, type Span } from '../../shared/index.js';
import type { PlannedBlock, RunPlan } from '../scheduler/run-plan.js';

export interface FederatedPlan {
  readonly config: FederatedConfig;
  readonly client: PlannedBlock;
  readonly evaluate: PlannedBlock | null;
  /** z in force; 0 without privacy. */
  readonly noiseMultiplier: number;
}

export type FederatedPlanResult =
  | { readonly ok: true; readonly plan: FederatedPlan; readonly warnings: readonly Diagnostic[] }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

/** Whether the document asks to be run as a federated workflow. */
export function isFederated(doc: MamlDocument): boolean {
  const fm = doc.frontMatter?.value;
  return typeof fm === 'object' && fm !== null && !Array.isArray(fm) && 'federated' in fm;
}

function finding(place: Span, d: { code: string; severity: 'error' | 'warning'; message: string }): Diagnostic {
  return diagnostic({ ...d, place, ruleId: 'federated-config', source: 'maml' });
}

export function planFederated(doc: MamlDocument, plan: RunPlan): FederatedPlanResult {
  const fm = doc.frontMatter?.value as Record<string, unknown>;
  const placeOf = placeFinder(doc);
  const compiled = compileFederatedConfig(fm['federated']);
  const all = compiled.issues.map((i) => finding(placeOf(i.path), i));
  const errors = all.filter((d) => d.severity === 'error');
  const config = compiled.config;
  if (config === undefined || errors.length > 0) return { ok: false, diagnostics: all };
  const fail = (code: string, path: string, message: string): FederatedPlanResult => ({
    ok: false,
    diagnostics: [...all, finding(placeOf(path), { code, severity: 'error', message })],
  });
  const byId = new Map(plan.blocks.map((b) => [b.id, b]));
  const evaluateId = config.evaluateBlock ?? (byId.has('evaluate') ? 'evaluate' : null);
  const evaluate = evaluateId === null ? null : (byId.get(evaluateId) ?? null);
  if (evaluateId !== null && evaluate === null)
    return fail('federated_unknown_block', '/federated/evaluate_block', `no block \`${evaluateId}\` in the document`);
  const others = plan.blocks.filter((b) => b.id !== evaluateId);
  const client =
    config.clientBlock === null ? (others.length === 1 ? others[0] : undefined) : byId.get(config.clientBlock);
  if (client === undefined)
    return fail(
      'federated_client_block',
      '/federated/client_block',
      config.clientBlock === null
        ? `the document has ${others.length} candidate blocks; name the client training block with \`client_block: <id>\``
        : `no block \`${config.clientBlock}\` in the document`,
    );
  const extra = plan.blocks.filter((b) => b !== client && b !== evaluate);
  if (extra.length > 0)
    return fail(
      'federated_extra_blocks',
      '/federated',
      `a federated document holds a client block and an optional evaluation block; ${extra.map((b) => `\`${b.id}\``).join(', ')} would never run`,
    );
  if (client.upstream.length > 0 || (evaluate !== null && evaluate.upstream.length > 0))
    return fail(
      'federated_needs',
      '/federated',
      'the client and evaluation blocks take the global weights from the coordinator: remove their `needs`',
    );
  let noiseMultiplier = 0;
  const dp = config.privacy;
  if (dp) {
    if (dp.noiseMultiplier !== null) noiseMultiplier = dp.noiseMultiplier;
    else {
      const z = noiseForEpsilon({
        samplingRate: config.fraction,
        steps: config.rounds,
        delta: dp.delta,
        targetEpsilon: dp.epsilon as number,
      });
      if (z === undefined)
        return fail(
          'federated_budget',
          '/federated/privacy',
          `no noise multiplier up to 1000 keeps ${config.rounds} rounds at sampling rate ${config.fraction} within epsilon ${dp.epsilon}; allow a larger epsilon or fewer rounds`,
        );
      noiseMultiplier = z;
    }
  }
  return { ok: true, plan: { config, client, evaluate, noiseMultiplier }, warnings: all };
}
