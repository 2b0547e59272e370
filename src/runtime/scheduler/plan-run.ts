/**
 * Decides everything about a run before anything runs, once, for every entry point (`maml run`, `POST /v1/runs`,
 * MCP `maml_run`): validation (with the block checkers), `permissions.execute` for the identity, the threat scan
 * gate, the operator's caps against every block, head placement, sandbox availability, and the inputs against
 * `## Input_Schema` with its defaults. Pure: what it needs to know about the machine (the sandbox, the heads)
 * comes in `policy` (the sandbox's state possibly as the caller's function, asked only when a block needs it). Every refusal is a diagnostic with a stable code and a place in the document; after the
 * validation errors (which stop planning: the graph of an invalid document means little) every check runs, so
 * one answer lists every problem.
 */
import { compileFairnessPolicy } from '../../fairness/index.js';
import type { MamlDocument } from '../../format/index.js';
import { placeFinder, validateDocument } from '../../format/index.js';
import { DEFAULT_HISTORY_FORM } from '../../crypto/index.js';
import { START, diagnostic } from '../../shared/index.js';
import type { Diagnostic, Point, Span } from '../../shared/index.js';
import { BLOCK_CHECKERS } from '../block-checkers.js';
import { executorFor } from '../executors/index.js';
import { jsonProblem, shortPath } from '../output-check.js';
import { quantumPermission } from '../quantum-calls/quantum-permission.js';
import { DEFAULT_RUN_LIMITS, MAX_CONCURRENCY } from '../run-limits.js';
import { checkBlockLimits } from './block-limits.js';
import { checkWorkflowInputs, inputsProblem } from './inputs.js';
import { DEFAULT_IDENTITY, executeRefusal, networkPermission } from './permissions.js';
import { riskMessage, scanRisk } from './risk-gate.js';
import { RUN_PLAN_VERSION } from './run-plan.js';
import type { PlanRefusal, PlanResult, PlannedBlock, RunPolicy, RunRequest } from './run-plan.js';

function problem(code: string, message: string, place: Point | Span): Diagnostic {
  return diagnostic({ code, severity: 'error', message, place, ruleId: 'plan-run', source: 'runtime' });
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** First lines of a list of diagnostics, for a one-line summary. */
function firstOf(diagnostics: readonly Diagnostic[]): string {
  return diagnostics
    .slice(0, 3)
    .map((d) => `${d.line}:${d.column} ${d.message}`)
    .join(' | ');
}

/** Refusals found so far, by kind; the first kind found names the error code and leads the message. */
class Refusals {
  private readonly kinds: { code: PlanRefusal['code']; message: string; diagnostics: readonly Diagnostic[] }[] = [];

  add(code: PlanRefusal['code'], message: string, diagnostics: readonly Diagnostic[]): void {
    this.kinds.push({ code, message, diagnostics });
  }

  result(): PlanRefusal | undefined {
    const [first, ...rest] = this.kinds;
    if (!first) return undefined;
    const more = rest.reduce((n, k) => n + k.diagnostics.length, 0);
    return {
      ok: false,
      code: first.code,
      message: more > 0 ? `${first.message} (and ${plural(more, 'more problem')})` : first.message,
      diagnostics: this.kinds.flatMap((k) => k.diagnostics),
    };
  }
}

export function planRun(doc: MamlDocument, request: RunRequest, policy: RunPolicy): PlanResult {
  const limits = policy.limits ?? DEFAULT_RUN_LIMITS;
  const concurrency = policy.concurrency ?? 4;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY) {
    const message = `concurrency must be a whole number from 1 to ${MAX_CONCURRENCY} (got ${String(policy.concurrency)})`;
    return { ok: false, code: 'usage', message, diagnostics: [problem('invalid_concurrency', message, START)] };
  }
  const validation = validateDocument(doc, { profile: 'lenient', blockCheckers: BLOCK_CHECKERS });
  const errors = validation.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0)
    return {
      ok: false,
      code: 'invalid_document',
      message: `the document has ${plural(errors.length, 'error')}; fix them first (maml validate): ${firstOf(errors)}`,
      diagnostics: errors,
    };
  const refusals = new Refusals();
  const placeOf = placeFinder(doc);

  const identity = request.identity ?? DEFAULT_IDENTITY;
  const denied = executeRefusal(validation.frontMatter, identity);
  if (denied)
    refusals.add('permission_denied', denied.message, [
      problem('execute_denied', denied.message, placeOf('/permissions/execute')),
    ]);

  const flagged = scanRisk(doc, policy.scan);
  if (flagged && request.allowRisk !== true)
    refusals.add('invalid_document', riskMessage(flagged), flagged.diagnostics);

  const executable = doc.blocks.filter((b) => b.executable);
  if (executable.length > limits.maxBlocks) {
    const message = `the document has ${executable.length} blocks to run; this gateway runs at most ${limits.maxBlocks} per document (its --max-blocks): split it into several documents`;
    const first = executable[limits.maxBlocks];
    refusals.add('invalid_document', message, [problem('too_many_blocks', message, first?.span ?? START)]);
  }

  const { graph } = validation;
  const byId = new Map(executable.map((b) => [b.id, b]));
  const blocks: PlannedBlock[] = [];
  const placement: Diagnostic[] = [];
  const overLimits: Diagnostic[] = [];
  let sandboxed: (typeof executable)[number] | undefined;
  for (const id of graph.nodes) {
    const block = byId.get(id);
    if (!block) continue;
    const executor = executorFor(block.lang);
    if (!executor) {
      placement.push(problem('no_executor', `block ${id}: no executor for language \`${block.lang}\``, block.span));
      continue;
    }
    if (executor.sandboxed) sandboxed ??= block;
    let headClass = executor.headClass;
    let headName: string | null = null;
    if (block.head !== undefined && executor.placement === 'head') {
      if (policy.heads.names.includes(block.head)) headName = block.head;
      else if (policy.heads.classes.includes(block.head)) headClass = block.head;
      else
        placement.push(
          problem(
            'unknown_head',
            `block ${id}: head=${block.head} is neither a running head nor a head class (${policy.heads.names.join(', ') || 'none running'}); change it or start heads with --heads`,
            block.span,
          ),
        );
    }
    const checked = checkBlockLimits(block, limits);
    overLimits.push(...checked.diagnostics);
    blocks.push({
      id,
      lang: block.lang,
      source: block.code,
      placement: executor.placement,
      headClass,
      headName,
      timeoutMs: checked.timeoutMs ?? limits.defaultTimeoutMs,
      continueOnError: block.continueOnError,
      attributes: { ...block.attributes },
      upstream: [...(graph.upstream.get(id) ?? [])],
      codeLine: block.codeStart.line,
    });
  }
  if (placement.length > 0) refusals.add('invalid_document', firstOf(placement), placement);
  if (overLimits.length > 0)
    refusals.add(
      'invalid_document',
      `${plural(overLimits.length, 'block setting')} cannot be honoured: ${firstOf(overLimits)}`,
      overLimits,
    );

  const network = networkPermission(validation.frontMatter);
  const quantum = quantumPermission(validation.frontMatter);
  if (!quantum.ok)
    refusals.add('invalid_document', quantum.message, [
      problem('invalid_permission', quantum.message, placeOf(quantum.path)),
    ]);
  if (!policy.unsafeNoSandbox && sandboxed) {
    const sandbox = typeof policy.sandbox === 'function' ? policy.sandbox() : policy.sandbox;
    const missing = sandbox.problem ?? (network !== false ? sandbox.networkProblem : null);
    if (missing !== null)
      refusals.add('missing_tool', missing, [
        problem('sandbox_unavailable', `block ${sandboxed.id} needs the sandbox: ${missing}`, sandboxed.span),
      ]);
  }

  const inputsAt = doc.inputSchema?.place ?? START;
  const checkedInputs = checkWorkflowInputs(doc.inputSchema?.value, request.inputs ?? {});
  let inputs: Record<string, unknown> = {};
  if (!checkedInputs.ok)
    refusals.add(
      'usage',
      inputsProblem(checkedInputs.issues),
      checkedInputs.issues.map((i) => problem('invalid_input', `input ${i.path || '/'} ${i.message}`, inputsAt)),
    );
  else {
    inputs = checkedInputs.value;
    // The run database stores the inputs: what it cannot store faithfully is refused here, not as a 500 later.
    const unstorable: Diagnostic[] = [];
    for (const [name, value] of Object.entries(inputs)) {
      const bad = jsonProblem(value);
      if (bad)
        unstorable.push(
          problem(
            'invalid_input',
            `input \`${name}\`${bad.path ? ` at ${shortPath(bad.path)}` : ''}: ${bad.message}`,
            inputsAt,
          ),
        );
    }
    if (unstorable.length > 0) refusals.add('usage', unstorable.map((d) => d.message).join('; '), unstorable);
  }

  const refused = refusals.result();
  if (refused) return refused;
  const documentId = doc.frontMatter?.value?.['id'];
  return {
    ok: true,
    plan: {
      v: RUN_PLAN_VERSION,
      documentId: typeof documentId === 'string' ? documentId : null,
      documentPath: request.documentPath ?? null,
      identity,
      inputs,
      network: network === false || network === true ? network : [...network],
      ...(quantum.ok && quantum.value !== undefined ? { quantum: quantum.value } : {}),
      limits: { ...limits },
      concurrency,
      unsafeNoSandbox: policy.unsafeNoSandbox ?? false,
      cache: request.cache ?? false,
      historyForm: request.historyForm ?? DEFAULT_HISTORY_FORM,
      risk: flagged ?? null,
      outputSchema: doc.outputSchema === undefined ? null : doc.outputSchema.value,
      blocks,
      fairness: compileFairnessPolicy(validation.frontMatter?.['fairness']).policy,
    },
  };
}
