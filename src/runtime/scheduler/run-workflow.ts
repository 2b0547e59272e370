/**
 * Runs one MAML document: checks it (validation, execute permission, sandbox availability, inputs) before
 * anything runs, then executes its blocks as a DAG — independent blocks in parallel up to a concurrency limit —
 * on the head pool (or, for SQL, in the run's own sandboxed database), passing outputs downstream, and records the run.
 * Failure policy: the first failed block stops the run and the rest are `skipped`, unless the block has
 * `continue_on_error=true`; dependents of a failed block are skipped either way.
 *
 * Checks before anything runs, for every entry point: validation, execute permission, the threat scan gate, the
 * operator's limits (run-limits.ts) against every block, sandbox availability, inputs. Cancel (the signal):
 * running blocks are stopped (their processes killed) and recorded `cancelled`, blocks not started are `skipped`,
 * the run ends `cancelled`. Once the run row exists, the run is always finished in the database, whatever fails.
 */
import { randomUUID } from 'node:crypto';
import type { MamlDocument, NewHistoryEntry } from '../../format/index.js';
import { buildGraph, validateAgainst, validateDocument } from '../../format/index.js';
import {
  DEFAULT_HISTORY_FORM,
  executeLineText,
  hashCanonical,
  historyText,
  ticketLineText,
  ticketSetHash,
  executeTextHash,
  type HistoryForm,
} from '../../crypto/index.js';
import { MamlError, serializeError } from '../../shared/index.js';
import type { Diagnostic, SerializedError } from '../../shared/index.js';
import type { RunStore } from '../db/index.js';
import { RunResources, executorFor } from '../executors/index.js';
import type { Executor } from '../executors/index.js';
import type { HeadPool, RegenerateEvent } from '../heads/index.js';
import { BLOCK_CHECKERS } from '../block-checkers.js';
import { checkSandbox } from '../sandbox/index.js';
import { checkOutputs, jsonProblem, shortPath, storable } from '../output-check.js';
import { DEFAULT_RUN_LIMITS, MAX_CONCURRENCY, taskLimits } from '../run-limits.js';
import type { RunLimits } from '../run-limits.js';
import { taskSpec } from '../task-spec.js';
import type { TaskResult } from '../task-spec.js';
import { checkBlockLimits } from './block-limits.js';
import { cacheKey, canonicalJson, sha256 } from './cache-key.js';
import { mergeInputs, resolveWorkflowInputs } from './inputs.js';
import { DEFAULT_IDENTITY, checkExecutePermission, networkPermission } from './permissions.js';
import { riskGate } from './risk-gate.js';
import type { RiskAccepted } from './risk-gate.js';
import type { TicketIssuer } from '../tickets/ticket-issuer.js';

/** `cancelled`: stopped by a cancel while it ran; `skipped`: never started (see `reason`). */
export type BlockStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped' | 'cancelled';

export interface BlockReport {
  readonly id: string;
  readonly lang: string;
  readonly head: string | null;
  readonly status: BlockStatus;
  readonly durationMs: number | null;
  readonly outputs: Readonly<Record<string, unknown>>;
  readonly error: SerializedError | null;
  readonly attempts: number;
  readonly cached: boolean;
  /** Why a block was skipped. */
  readonly reason?: string;
}

export interface RunReport {
  readonly runId: string;
  readonly status: 'succeeded' | 'failed' | 'cancelled';
  readonly blocks: readonly BlockReport[];
  readonly outputs: Readonly<Record<string, unknown>>;
  readonly error: SerializedError | null;
  readonly durationMs: number;
  /** Lines for the document's History (`[TICKET]`, `[REGENERATE]`, `[EXECUTE]`). */
  readonly history: readonly NewHistoryEntry[];
}

export type RunEvent =
  | { readonly type: 'run_started'; readonly runId: string; readonly blocks: readonly BlockReport[] }
  /** The threat scan flagged the document and the caller ran it anyway (`allowRisk`). */
  | ({ readonly type: 'risk_accepted'; readonly runId: string } & RiskAccepted)
  | { readonly type: 'block_started'; readonly id: string; readonly head: string; readonly attempt: number }
  | { readonly type: 'block_finished'; readonly block: BlockReport }
  | { readonly type: 'regenerate'; readonly id: string; readonly event: RegenerateEvent }
  | { readonly type: 'run_finished'; readonly report: RunReport };

export interface RunWorkflowOptions {
  readonly doc: MamlDocument;
  readonly documentPath?: string;
  /** Workflow inputs from --input/--inputs, before schema defaults. */
  readonly inputs?: Readonly<Record<string, unknown>>;
  readonly identity?: string;
  readonly pool: HeadPool;
  readonly store: RunStore;
  /** Blocks running at once (default 4, at most MAX_CONCURRENCY). */
  readonly concurrency?: number;
  readonly cache?: boolean;
  readonly unsafeNoSandbox?: boolean;
  /** The operator's caps, compiled once (compileRunLimits); default DEFAULT_RUN_LIMITS. */
  readonly limits?: RunLimits;
  /**
   * Run a document the threat scan flags (`maml run --allow-risk`, after a person read the findings). The
   * gateway and MCP never set it: a flagged document is refused with its findings.
   */
  readonly allowRisk?: boolean;
  readonly onEvent?: (event: RunEvent) => void;
  /** Run id to record the run under (default: a new UUID); lets a caller hand out the id before the run starts. */
  readonly runId?: string;
  /** Aborting cancels the run: running blocks are stopped and `cancelled`, the rest `skipped`; the run `cancelled`. */
  readonly signal?: AbortSignal;
  /**
   * Signs a ticket for every block that ran (not cache hits) and a record of the run, and appends them to the
   * audit log; the History lines then carry them.
   */
  readonly tickets?: TicketIssuer;
  /** How the History lines carry tickets and run records: whole (`full`) or by log index and leaf hash (default). */
  readonly historyForm?: HistoryForm;
}

interface Planned {
  readonly id: string;
  readonly lang: string;
  readonly source: string;
  readonly executor: Executor;
  readonly headClass: string;
  readonly headName: string | undefined;
  readonly timeoutMs: number;
  readonly continueOnError: boolean;
  readonly attributes: Readonly<Record<string, string>>;
  readonly upstream: readonly string[];
  readonly codeLine: number;
}

function invalid(message: string, details?: Record<string, unknown>): MamlError {
  return new MamlError('invalid_document', message, details ? { details } : {});
}

function limitsError(diagnostics: readonly Diagnostic[]): MamlError {
  const n = diagnostics.length;
  return invalid(
    `${n} block setting${n > 1 ? 's' : ''} cannot be honoured: ${diagnostics
      .slice(0, 3)
      .map((d) => `${d.line}:${d.column} ${d.message}`)
      .join(' | ')}`,
    { diagnostics },
  );
}

/** Everything that can be known wrong before a block runs; throws with a clear message. */
function plan(options: RunWorkflowOptions): {
  blocks: Planned[];
  inputs: Record<string, unknown>;
  network: boolean | string[];
  limits: RunLimits;
  concurrency: number;
  risk: RiskAccepted | undefined;
} {
  const { doc, pool } = options;
  const limits = options.limits ?? DEFAULT_RUN_LIMITS;
  const concurrency = options.concurrency ?? 4;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY)
    throw new MamlError(
      'usage',
      `concurrency must be a whole number from 1 to ${MAX_CONCURRENCY} (got ${String(options.concurrency)})`,
    );
  const validation = validateDocument(doc, { profile: 'lenient', blockCheckers: BLOCK_CHECKERS });
  const errors = validation.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0)
    throw invalid(
      `the document has ${errors.length} error${errors.length > 1 ? 's' : ''}; fix them first (maml validate): ${errors
        .slice(0, 3)
        .map((d) => `${d.line}:${d.column} ${d.message}`)
        .join(' | ')}`,
      { diagnostics: errors },
    );
  checkExecutePermission(validation.frontMatter, options.identity ?? DEFAULT_IDENTITY);
  const risk = riskGate(doc, options.allowRisk ?? false);
  const executable = doc.blocks.filter((b) => b.executable).length;
  if (executable > limits.maxBlocks)
    throw invalid(
      `the document has ${executable} blocks to run; this gateway runs at most ${limits.maxBlocks} per document (its --max-blocks): split it into several documents`,
    );
  const graph = buildGraph(doc);
  const byId = new Map(doc.blocks.filter((b) => b.executable).map((b) => [b.id, b]));
  const blocks: Planned[] = [];
  const overLimits: Diagnostic[] = [];
  for (const id of graph.nodes) {
    const block = byId.get(id);
    if (!block) continue;
    const executor = executorFor(block.lang);
    if (!executor) throw invalid(`block ${id} (line ${block.line}): no executor for language \`${block.lang}\``);
    let headClass = executor.headClass;
    let headName: string | undefined;
    if (block.head !== undefined && executor.placement === 'head') {
      if (pool.hasHead(block.head)) headName = block.head;
      else if (pool.classes().includes(block.head)) headClass = block.head;
      else
        throw invalid(
          `block ${id} (line ${block.line}): head=${block.head} is neither a running head nor a head class (${pool
            .info()
            .map((h) => h.name)
            .join(', ')}); change it or start heads with --heads`,
        );
    }
    const checked = checkBlockLimits(block, limits);
    overLimits.push(...checked.diagnostics);
    const timeoutMs = checked.timeoutMs ?? limits.defaultTimeoutMs;
    blocks.push({
      id,
      lang: block.lang,
      source: block.code,
      executor,
      headClass,
      headName,
      timeoutMs,
      continueOnError: block.continueOnError,
      attributes: block.attributes,
      upstream: graph.upstream.get(id) ?? [],
      codeLine: block.codeStart.line,
    });
  }
  if (overLimits.length > 0) throw limitsError(overLimits);
  const network = networkPermission(validation.frontMatter);
  if (!options.unsafeNoSandbox && blocks.some((b) => b.executor.sandboxed))
    checkSandbox({ network: network !== false });
  const inputs = resolveWorkflowInputs(doc.inputSchema?.value, options.inputs ?? {});
  for (const [name, value] of Object.entries(inputs)) {
    // The run database stores the inputs: what it cannot store faithfully is refused here, not as a 500 later.
    const problem = jsonProblem(value);
    if (problem)
      throw new MamlError(
        'usage',
        `input \`${name}\`${problem.path ? ` at ${shortPath(problem.path)}` : ''}: ${problem.message}`,
      );
  }
  return { blocks, inputs, network, limits, concurrency, risk };
}

/** Why blocks that never started were skipped, when the run was cancelled. */
const CANCELLED_REASON = 'the run was cancelled';

/** Calls the caller's listener; one that throws must not stop (or lose) the run: it is reported once. */
function safeEmitter(runId: string, listener: ((event: RunEvent) => void) | undefined): (event: RunEvent) => void {
  let warned = false;
  return (event) => {
    try {
      listener?.(event);
    } catch (error) {
      if (warned) return;
      warned = true;
      process.emitWarning(
        `run ${runId}: an onEvent listener threw (${serializeError(error).message}); the run goes on`,
      );
    }
  };
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

/** Blocks named one by one in an `[EXECUTE]` line; the rest are counted, so one line stays readable. */
const SUMMARY_BLOCKS = 50;

export async function runWorkflow(options: RunWorkflowOptions): Promise<RunReport> {
  const { blocks, inputs, network, limits, concurrency, risk } = plan(options);
  const { store, pool } = options;
  const identity = options.identity ?? DEFAULT_IDENTITY;
  const runId = options.runId ?? randomUUID();
  const started = performance.now();
  const emit = safeEmitter(runId, options.onEvent);
  const history: NewHistoryEntry[] = [];
  const historyForm = options.historyForm ?? DEFAULT_HISTORY_FORM;
  /** Leaf hashes of the tickets issued, and the texts of the [REGENERATE] lines written: the run record binds both. */
  const ticketLeaves: string[] = [];
  const regenerated: string[] = [];
  const startedAtDate = new Date();
  const reports = new Map<string, BlockReport>(
    blocks.map((b) => [
      b.id,
      {
        id: b.id,
        lang: b.lang,
        head: null,
        status: 'pending',
        durationMs: null,
        outputs: {},
        error: null,
        attempts: 0,
        cached: false,
      },
    ]),
  );
  const outputHashes = new Map<string, string>();
  // Per-run state of scheduler-placed blocks (the SQL database), closed however this function is left.
  await using resources = new RunResources();
  const documentId = options.doc.frontMatter?.value?.['id'];
  await store.createRun({
    id: runId,
    identity,
    inputs,
    ...(options.documentPath ? { documentPath: options.documentPath } : {}),
    ...(typeof documentId === 'string' ? { documentId } : {}),
  });
  // From here on the run row exists and must be finished: a write that fails does not throw out of the run,
  // it stops it (blocks not started are skipped) and the run ends `failed` with that error.
  let fatal: SerializedError | undefined;
  const record = async (what: string, write: () => Promise<unknown>): Promise<void> => {
    try {
      await write();
    } catch (error) {
      fatal ??= {
        code: 'internal',
        message: `could not record ${what} in the run database: ${serializeError(error).message}`,
        retryable: true,
      };
    }
  };
  await record('the run start', () =>
    store.addEvent(runId, 'run_started', undefined, { identity, blocks: blocks.map((b) => b.id) }),
  );
  emit({ type: 'run_started', runId, blocks: [...reports.values()] });
  if (risk) {
    await record('the accepted threat scan', () => store.addEvent(runId, 'risk_accepted', undefined, storable(risk)));
    emit({ type: 'risk_accepted', runId, ...risk });
  }

  const finish = async (block: Planned, report: BlockReport, startedAt?: Date): Promise<void> => {
    reports.set(block.id, report);
    const status = report.status === 'pending' || report.status === 'running' ? 'failed' : report.status;
    await record(`block ${block.id}`, () =>
      store.recordBlock({
        runId,
        blockId: block.id,
        attemptId: `${runId}/${block.id}/${report.attempts}`,
        lang: block.lang,
        head: report.head,
        attempts: report.attempts,
        status,
        cached: report.cached,
        ...(startedAt ? { startedAt, finishedAt: new Date() } : {}),
        durationMs: report.durationMs,
        outputs: report.outputs,
        error: report.error ?? (report.reason ? { reason: report.reason } : null),
      }),
    );
    await record(`block ${block.id}'s event`, () =>
      store.addEvent(runId, `block_${report.status}`, block.id, {
        head: report.head,
        durationMs: report.durationMs,
        error: report.error,
        ...(report.reason ? { reason: report.reason } : {}),
      }),
    );
    emit({ type: 'block_finished', block: report });
  };

  const skip = (block: Planned, reason: string): Promise<void> =>
    finish(block, { ...(reports.get(block.id) as BlockReport), status: 'skipped', reason });

  const execute = async (block: Planned): Promise<void> => {
    const startedAt = new Date();
    const t0 = performance.now();
    let head: string | null = block.executor.placement === 'scheduler' ? 'scheduler' : null;
    let attempts = 0;
    reports.set(block.id, { ...(reports.get(block.id) as BlockReport), status: 'running' });
    try {
      const upstream = block.upstream.map((id) => ({ id, outputs: reports.get(id)?.outputs ?? {} }));
      const blockInputs = mergeInputs(block.id, inputs, upstream);
      const spec = taskSpec({
        blockId: block.id,
        lang: block.lang,
        source: block.source,
        inputs: blockInputs,
        limits: taskLimits(limits, block.timeoutMs),
        permissions: { network },
        headClass: block.headClass,
        unsafeNoSandbox: options.unsafeNoSandbox ?? false,
        attributes: block.attributes,
        codeLine: block.codeLine,
      });
      const key = options.cache
        ? cacheKey({
            lang: block.lang,
            source: block.source,
            executorVersion: block.executor.version,
            attributes: block.attributes,
            inputs: blockInputs,
            upstreamOutputHashes: block.upstream.map((id) => outputHashes.get(id) ?? ''),
          })
        : undefined;
      const hit = key === undefined ? undefined : await store.cacheGet(key);
      if (options.signal?.aborted) return await skip(block, CANCELLED_REASON);
      let result: TaskResult | undefined;
      let outputs: Readonly<Record<string, unknown>>;
      if (hit) {
        outputs = hit;
        head = 'cache';
      } else if (block.executor.placement === 'scheduler') {
        attempts = 1;
        emit({ type: 'block_started', id: block.id, head: 'scheduler', attempt: 1 });
        void record(`block ${block.id}'s start`, () =>
          store.addEvent(runId, 'block_started', block.id, { head: 'scheduler', attempt: 1 }),
        );
        result = await block.executor.run(spec, { resources, ...(options.signal ? { signal: options.signal } : {}) });
        outputs = result.outputs;
      } else {
        const submitted = await pool.submit(spec, {
          ...(block.headName ? { headName: block.headName } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
          onStart: (name, attempt) => {
            head = name;
            attempts = attempt;
            emit({ type: 'block_started', id: block.id, head: name, attempt });
            void record(`block ${block.id}'s start`, () =>
              store.addEvent(runId, 'block_started', block.id, { head: name, attempt }),
            );
          },
          onRegenerate: (event) => {
            const text = historyText(
              `run ${runId}: block ${block.id} lost ${event.reason}; retried as attempt ${event.attempt}`,
            );
            regenerated.push(text);
            history.push({ time: new Date(), action: 'REGENERATE', text });
            emit({ type: 'regenerate', id: block.id, event });
            void store.addEvent(runId, 'regenerate', block.id, event).catch(() => undefined);
          },
        });
        result = submitted.result;
        head = submitted.head;
        attempts = submitted.attempts;
        outputs = result.outputs;
      }
      // Before the cache, the ticket and the database: what cannot be stored faithfully fails the block here.
      outputs = checkOutputs(block.id, outputs, limits.outputBytes);
      if (key !== undefined && !hit) await store.cachePut(key, outputs);
      if (options.tickets && !hit) {
        const issued = await options.tickets.issue({
          docId: typeof documentId === 'string' ? documentId : `run:${runId}`,
          runId,
          blockId: block.id,
          headId: head ?? 'unknown',
          inputs: blockInputs,
          outputs,
          source: block.source,
          startedAt,
          durationMs: result?.durationMs ?? performance.now() - t0,
          executor: `${block.lang}@${block.executor.version}`,
          lang: block.lang,
          attributes: block.attributes,
          upstream: block.upstream,
        });
        ticketLeaves.push(issued.leafHash);
        history.push({
          time: new Date(),
          action: 'TICKET',
          text: ticketLineText({ ...issued, runId, blockId: block.id }, historyForm),
        });
        await store.addEvent(runId, 'ticket_issued', block.id, issued);
      }
      outputHashes.set(block.id, sha256(canonicalJson(outputs)));
      await finish(
        block,
        {
          id: block.id,
          lang: block.lang,
          head,
          status: 'succeeded',
          durationMs: result?.durationMs ?? performance.now() - t0,
          outputs,
          error: null,
          attempts,
          cached: hit !== undefined,
        },
        startedAt,
      );
    } catch (error) {
      // Error texts may quote a block's output (stderr): the database must be able to hold them.
      const data = storable(serializeError(error)) as SerializedError;
      // Cancelled before any head took it: it never started.
      if (data.code === 'cancelled' && attempts === 0) return await skip(block, CANCELLED_REASON);
      await finish(
        block,
        {
          id: block.id,
          lang: block.lang,
          head,
          status: data.code === 'cancelled' ? 'cancelled' : 'failed',
          durationMs: performance.now() - t0,
          outputs: {},
          error: data,
          attempts,
          cached: false,
        },
        startedAt,
      );
    }
  };

  // Scheduling: a block is ready when all its upstream blocks succeeded; ready blocks start in document order,
  // up to `concurrency` at once. When a block does not succeed its dependents are skipped, transitively; a
  // failure without continue_on_error, a cancel or a write that failed stops the run: nothing new starts.
  const position = new Map(blocks.map((b, i) => [b.id, i]));
  const dependents = new Map<string, Planned[]>();
  const waitingOn = new Map<string, number>();
  for (const block of blocks) {
    waitingOn.set(block.id, block.upstream.length);
    for (const up of block.upstream) {
      const list = dependents.get(up);
      if (list) list.push(block);
      else dependents.set(up, [block]);
    }
  }
  const ready = blocks.filter((b) => b.upstream.length === 0);
  const makeReady = (block: Planned): void => {
    const at = position.get(block.id) ?? 0;
    let i = ready.length;
    while (i > 0 && (position.get((ready[i - 1] as Planned).id) ?? 0) > at) i--;
    ready.splice(i, 0, block);
  };
  const skipDependents = async (block: Planned): Promise<void> => {
    for (const next of dependents.get(block.id) ?? []) {
      if (reports.get(next.id)?.status !== 'pending') continue;
      await skip(next, `upstream block ${block.id} did not succeed`);
      await skipDependents(next);
    }
  };
  let stopping = false;
  const settled = async (block: Planned): Promise<void> => {
    const status = reports.get(block.id)?.status;
    if (status === 'succeeded') {
      for (const next of dependents.get(block.id) ?? []) {
        const left = (waitingOn.get(next.id) ?? 1) - 1;
        waitingOn.set(next.id, left);
        if (left === 0 && reports.get(next.id)?.status === 'pending') makeReady(next);
      }
      return;
    }
    if (status !== 'skipped' && !block.continueOnError) stopping = true;
    await skipDependents(block);
  };
  // The loop sleeps until a block settles or the run is cancelled (`woken` covers a wake-up while it works).
  let woken = false;
  let wake = (): void => undefined;
  const wakeUp = (): void => {
    woken = true;
    wake();
  };
  options.signal?.addEventListener('abort', wakeUp, { once: true });
  const running = new Map<string, Promise<void>>();
  try {
    for (;;) {
      const stopReason = options.signal?.aborted
        ? CANCELLED_REASON
        : fatal
          ? 'the run could not be recorded'
          : stopping
            ? 'an earlier block failed'
            : undefined;
      if (stopReason !== undefined) {
        ready.length = 0;
        for (const block of blocks) if (reports.get(block.id)?.status === 'pending') await skip(block, stopReason);
      }
      while (ready.length > 0 && running.size < concurrency) {
        const block = ready.shift() as Planned;
        if (reports.get(block.id)?.status !== 'pending') continue;
        const promise = execute(block)
          .catch((error: unknown) => {
            fatal ??= { code: 'internal', message: serializeError(error).message, retryable: false };
          })
          .then(() => settled(block))
          .finally(() => {
            running.delete(block.id);
            wakeUp();
          });
        running.set(block.id, promise);
      }
      if (running.size === 0) break;
      if (!woken) await new Promise<void>((resolve) => (wake = resolve));
      woken = false;
    }
  } finally {
    options.signal?.removeEventListener('abort', wakeUp);
  }

  const ordered = blocks.map((b) => reports.get(b.id) as BlockReport);
  const outputs: Record<string, unknown> = {};
  for (const report of ordered) if (report.status === 'succeeded') Object.assign(outputs, report.outputs);
  const firstFailure = blocks.find((b) => reports.get(b.id)?.status === 'failed' && !b.continueOnError);
  const stopped = ordered.find((b) => b.status === 'cancelled');
  // Cancelled: a block was stopped, or the cancel kept blocks from starting (a cancel after the last block
  // finished changes nothing).
  const cancelled =
    stopped !== undefined ||
    (options.signal?.aborted === true && ordered.some((b) => b.status === 'skipped' && b.reason === CANCELLED_REASON));
  let error: SerializedError | null = null;
  if (fatal) error = fatal;
  else if (cancelled) {
    const reason: unknown = options.signal?.reason;
    error = options.signal?.aborted
      ? {
          code: 'cancelled',
          message: reason instanceof Error ? reason.message : typeof reason === 'string' ? reason : CANCELLED_REASON,
          retryable: false,
        }
      : (stopped?.error ?? { code: 'cancelled', message: CANCELLED_REASON, retryable: false });
  } else if (firstFailure) {
    const failed = reports.get(firstFailure.id)?.error;
    error = failed ? { ...failed, message: failed.message } : null;
  } else if (options.doc.outputSchema !== undefined) {
    let issues: ReturnType<typeof validateAgainst>;
    try {
      issues = validateAgainst(options.doc.outputSchema.value as object, outputs);
    } catch (schemaError) {
      issues = [{ path: '', keyword: 'schema', message: serializeError(schemaError).message, params: {} }];
    }
    if (issues.length > 0)
      error = {
        code: 'block_failed',
        message: `the workflow outputs do not match ## Output_Schema: ${issues.map((i) => `at ${i.path || '/'}: ${i.message}`).join('; ')}`,
        retryable: false,
        details: { issues },
      };
  }
  const status = fatal ? 'failed' : cancelled ? 'cancelled' : error ? 'failed' : 'succeeded';
  const durationMs = performance.now() - started;
  const named = ordered.slice(0, SUMMARY_BLOCKS);
  const summary =
    named.map((b) => `${b.id} ${b.status === 'succeeded' ? `ok on ${b.head ?? '?'}` : b.status}`).join(', ') +
    (ordered.length > named.length ? ` and ${ordered.length - named.length} more` : '');
  // One line of History, whatever the ids and the error say: no line breaks, no control characters, bounded.
  const executeText = historyText(
    `run ${runId} ${status} in ${seconds(durationMs)} by ${identity}: ${summary}${error ? ` (${historyText(error.message, 500)})` : ''}`,
    4000,
  );
  let executeLine = executeText;
  if (options.tickets) {
    try {
      const record = await options.tickets.issueRun({
        docId: typeof documentId === 'string' ? documentId : `run:${runId}`,
        runId,
        identity,
        status,
        startedAt: startedAtDate.toISOString(),
        durationMs: Math.max(0, Math.round(durationMs)),
        tickets: ticketLeaves.length,
        ticketsHash: ticketSetHash(ticketLeaves),
        regenerateHash: hashCanonical(regenerated),
        textHash: executeTextHash(executeText),
        outputHash: hashCanonical(outputs),
      });
      executeLine = executeLineText(executeText, record, historyForm);
      await store.addEvent(runId, 'record_issued', undefined, record);
    } catch (recordError) {
      // The run happened and is recorded; only its [EXECUTE] line goes unsigned (`maml verify` says so).
      await store
        .addEvent(runId, 'record_failed', undefined, { error: storable(serializeError(recordError)) })
        .catch(() => undefined);
    }
  }
  history.push({ time: new Date(), action: 'EXECUTE', text: executeLine });
  await store.finishRun(runId, status, outputs, error);
  await store.addEvent(runId, 'run_finished', undefined, { status, error });
  const report: RunReport = { runId, status, blocks: ordered, outputs, error, durationMs, history };
  emit({ type: 'run_finished', report });
  return report;
}
