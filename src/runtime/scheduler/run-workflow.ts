/**
 * Runs one MAML document: checks it (validation, execute permission, sandbox availability, inputs) before
 * anything runs, then executes its blocks as a DAG — independent blocks in parallel up to a concurrency limit —
 * on the head pool (or, for SQL, in the run's own sandboxed database), passing outputs downstream, and records the run.
 * Failure policy: the first failed block stops the run and the rest are `skipped`, unless the block has
 * `continue_on_error=true`; dependents of a failed block are skipped either way.
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
import type { SerializedError } from '../../shared/index.js';
import { parseDuration } from '../duration.js';
import type { RunStore } from '../db/index.js';
import { RunResources, executorFor } from '../executors/index.js';
import type { Executor } from '../executors/index.js';
import type { HeadPool, RegenerateEvent } from '../heads/index.js';
import { INSTALL_BWRAP_HINT, bwrapStatus } from '../sandbox/index.js';
import { taskSpec } from '../task-spec.js';
import type { TaskLimits, TaskResult } from '../task-spec.js';
import { cacheKey, canonicalJson, sha256 } from './cache-key.js';
import { mergeInputs, resolveWorkflowInputs } from './inputs.js';
import { DEFAULT_IDENTITY, checkExecutePermission, networkPermission } from './permissions.js';
import type { TicketIssuer } from '../tickets/ticket-issuer.js';

export type BlockStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped';

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
  readonly status: 'succeeded' | 'failed';
  readonly blocks: readonly BlockReport[];
  readonly outputs: Readonly<Record<string, unknown>>;
  readonly error: SerializedError | null;
  readonly durationMs: number;
  /** Lines for the document's History (`[TICKET]`, `[REGENERATE]`, `[EXECUTE]`). */
  readonly history: readonly NewHistoryEntry[];
}

export type RunEvent =
  | { readonly type: 'run_started'; readonly runId: string; readonly blocks: readonly BlockReport[] }
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
  /** Blocks running at once (default 4). */
  readonly concurrency?: number;
  readonly cache?: boolean;
  readonly unsafeNoSandbox?: boolean;
  readonly limits?: Partial<TaskLimits>;
  readonly onEvent?: (event: RunEvent) => void;
  /** Run id to record the run under (default: a new UUID); lets a caller hand out the id before the run starts. */
  readonly runId?: string;
  /** Aborting stops the run: blocks not yet started are skipped; running blocks finish; the run fails `cancelled`. */
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
  readonly timeoutMs: number | undefined;
  readonly continueOnError: boolean;
  readonly attributes: Readonly<Record<string, string>>;
  readonly upstream: readonly string[];
  readonly codeLine: number;
}

function invalid(message: string, details?: Record<string, unknown>): MamlError {
  return new MamlError('invalid_document', message, details ? { details } : {});
}

/** Everything that can be known wrong before a block runs; throws with a clear message. */
function plan(options: RunWorkflowOptions): {
  blocks: Planned[];
  inputs: Record<string, unknown>;
  network: boolean | string[];
} {
  const { doc, pool } = options;
  const validation = validateDocument(doc, { profile: 'lenient' });
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
  const graph = buildGraph(doc);
  const byId = new Map(doc.blocks.filter((b) => b.executable).map((b) => [b.id, b]));
  const blocks: Planned[] = [];
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
    let timeoutMs: number | undefined;
    if (block.timeout !== undefined) {
      timeoutMs = parseDuration(block.timeout);
      if (timeoutMs === undefined)
        throw invalid(
          `block ${id} (line ${block.line}): timeout=${block.timeout} is not a duration (use 500ms, 30s, 2m)`,
        );
    }
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
  if (!options.unsafeNoSandbox && blocks.some((b) => b.executor.sandboxed)) {
    const status = bwrapStatus();
    if ('error' in status) throw new MamlError('missing_tool', status.error, { details: { hint: INSTALL_BWRAP_HINT } });
  }
  const inputs = resolveWorkflowInputs(doc.inputSchema?.value, options.inputs ?? {});
  return { blocks, inputs, network: networkPermission(validation.frontMatter) };
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

/** Blocks named one by one in an `[EXECUTE]` line; the rest are counted, so one line stays readable. */
const SUMMARY_BLOCKS = 50;

export async function runWorkflow(options: RunWorkflowOptions): Promise<RunReport> {
  const { blocks, inputs, network } = plan(options);
  const { store, pool } = options;
  const identity = options.identity ?? DEFAULT_IDENTITY;
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const runId = options.runId ?? randomUUID();
  const started = performance.now();
  const emit = (event: RunEvent): void => options.onEvent?.(event);
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
  await store.addEvent(runId, 'run_started', undefined, { identity, blocks: blocks.map((b) => b.id) });
  emit({ type: 'run_started', runId, blocks: [...reports.values()] });

  const finish = async (block: Planned, report: BlockReport, startedAt?: Date): Promise<void> => {
    reports.set(block.id, report);
    await store.recordBlock({
      runId,
      blockId: block.id,
      attemptId: `${runId}/${block.id}/${report.attempts}`,
      lang: block.lang,
      head: report.head,
      attempts: report.attempts,
      status: report.status === 'succeeded' ? 'succeeded' : report.status === 'failed' ? 'failed' : 'skipped',
      cached: report.cached,
      ...(startedAt ? { startedAt, finishedAt: new Date() } : {}),
      durationMs: report.durationMs,
      outputs: report.outputs,
      error: report.error ?? (report.reason ? { reason: report.reason } : null),
    });
    await store.addEvent(runId, `block_${report.status}`, block.id, {
      head: report.head,
      durationMs: report.durationMs,
      error: report.error,
      ...(report.reason ? { reason: report.reason } : {}),
    });
    emit({ type: 'block_finished', block: report });
  };

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
        limits: { ...options.limits, ...(block.timeoutMs === undefined ? {} : { timeoutMs: block.timeoutMs }) },
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
      let result: TaskResult | undefined;
      let outputs: Readonly<Record<string, unknown>>;
      if (hit) {
        outputs = hit;
        head = 'cache';
      } else if (block.executor.placement === 'scheduler') {
        attempts = 1;
        emit({ type: 'block_started', id: block.id, head: 'scheduler', attempt: 1 });
        await store.addEvent(runId, 'block_started', block.id, { head: 'scheduler', attempt: 1 });
        result = await block.executor.run(spec, { resources, ...(options.signal ? { signal: options.signal } : {}) });
        outputs = result.outputs;
      } else {
        const submitted = await pool.submit(spec, {
          ...(block.headName ? { headName: block.headName } : {}),
          onStart: (name, attempt) => {
            head = name;
            attempts = attempt;
            emit({ type: 'block_started', id: block.id, head: name, attempt });
            void store.addEvent(runId, 'block_started', block.id, { head: name, attempt }).catch(() => undefined);
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
      await finish(
        block,
        {
          id: block.id,
          lang: block.lang,
          head,
          status: 'failed',
          durationMs: performance.now() - t0,
          outputs: {},
          error: serializeError(error),
          attempts,
          cached: false,
        },
        startedAt,
      );
    }
  };

  let stopping = false;
  // Wakes the loop on cancel so pending blocks are skipped without waiting for running ones.
  const aborted = new Promise<void>((resolve) =>
    options.signal?.addEventListener('abort', () => resolve(), { once: true }),
  );
  const running = new Map<string, Promise<void>>();
  for (;;) {
    for (const block of blocks) {
      const report = reports.get(block.id);
      if (report?.status !== 'pending') continue;
      const ups = block.upstream.map((id) => reports.get(id));
      const blocked = block.upstream.find((id) => ['failed', 'skipped'].includes(reports.get(id)?.status ?? ''));
      if (blocked !== undefined || stopping || options.signal?.aborted) {
        await finish(block, {
          ...report,
          status: 'skipped',
          reason:
            blocked !== undefined
              ? `upstream block ${blocked} did not succeed`
              : options.signal?.aborted
                ? 'the run was cancelled'
                : 'an earlier block failed',
        });
        continue;
      }
      if (running.size >= concurrency || !ups.every((u) => u?.status === 'succeeded')) continue;
      const promise = execute(block).then(() => {
        running.delete(block.id);
        const done = reports.get(block.id);
        if (done?.status === 'failed' && !block.continueOnError) stopping = true;
      });
      running.set(block.id, promise);
    }
    if (running.size === 0) break;
    await Promise.race(options.signal?.aborted ? running.values() : [...running.values(), aborted]);
  }

  const ordered = blocks.map((b) => reports.get(b.id) as BlockReport);
  const outputs: Record<string, unknown> = {};
  for (const report of ordered) if (report.status === 'succeeded') Object.assign(outputs, report.outputs);
  const firstFailure = blocks.find((b) => reports.get(b.id)?.status === 'failed' && !b.continueOnError);
  let error: SerializedError | null = null;
  if (options.signal?.aborted) {
    const reason: unknown = options.signal.reason;
    error = {
      code: 'cancelled',
      message: reason instanceof Error ? reason.message : typeof reason === 'string' ? reason : 'the run was cancelled',
      retryable: false,
    };
  } else if (firstFailure) {
    const failed = reports.get(firstFailure.id)?.error;
    error = failed ? { ...failed, message: failed.message } : null;
  } else if (options.doc.outputSchema !== undefined) {
    const issues = validateAgainst(options.doc.outputSchema.value as object, outputs);
    if (issues.length > 0)
      error = {
        code: 'block_failed',
        message: `the workflow outputs do not match ## Output_Schema: ${issues.map((i) => `at ${i.path || '/'}: ${i.message}`).join('; ')}`,
        retryable: false,
        details: { issues },
      };
  }
  const status = error ? 'failed' : 'succeeded';
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
      await store.addEvent(runId, 'record_failed', undefined, { error: serializeError(recordError) });
    }
  }
  history.push({ time: new Date(), action: 'EXECUTE', text: executeLine });
  await store.finishRun(runId, status, outputs, error);
  await store.addEvent(runId, 'run_finished', undefined, { status, error });
  const report: RunReport = { runId, status, blocks: ordered, outputs, error, durationMs, history };
  emit({ type: 'run_finished', report });
  return report;
}
