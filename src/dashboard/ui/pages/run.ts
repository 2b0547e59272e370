/**
 * The Run page: the block graph with each block's live state, a table of the blocks (state, head, duration,
 * retries, error), the selected block's log and outputs, the run's outputs, the document source with its
 * History, and cancel and re-run (each after a confirmation). Live over the WebSocket: the stored events are
 * replayed, then new ones arrive; a block that finishes makes the page fetch the run again for its outputs.
 */
import { ApiError, api, type RunDetail, type RunDocument } from '../api.js';
import { errorNotice, heading, shortId, type Page } from '../common.js';
import { dagView, type DagView } from '../dag-view.js';
import { badge, duration, fill, h, when } from '../dom.js';
import { followRun } from '../live.js';
import { valueView } from '../outputs.js';
import { RunState, type BlockState } from '../../lib/run-state.js';

export const runPage: Page = (view, id) => {
  let stopped = false;
  let unfollow: (() => void) | undefined;
  let refetch: ReturnType<typeof setTimeout> | undefined;
  const status = h('span', { class: 'run-status' });
  const meta = h('dl', { class: 'meta' });
  const actions = h('div', { class: 'actions' });
  const notice = h('div', { 'aria-live': 'polite' });
  const graph = h('div', { class: 'scroll graph' });
  const blockRows = h('tbody', {});
  const detail = h('section', { class: 'block-detail', 'aria-live': 'polite', 'aria-labelledby': 'detail-h' });
  const runOutputs = h('div', {});
  const source = h('div', {});
  view.append(
    heading(`Run ${shortId(id)} `, status),
    meta,
    actions,
    notice,
    h('h2', {}, 'Blocks'),
    graph,
    h(
      'div',
      { class: 'scroll' },
      h(
        'table',
        { class: 'blocks' },
        h('caption', { class: 'sr-only' }, 'Blocks of this run'),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...['Block', 'Language', 'State', 'Head', 'Duration', 'Retries', 'Error'].map((c) =>
              h('th', { scope: 'col' }, c),
            ),
          ),
        ),
        blockRows,
      ),
    ),
    detail,
    h('h2', {}, 'Outputs'),
    runOutputs,
    h('h2', {}, 'Source'),
    source,
  );

  let state = new RunState();
  let dag: DagView | undefined;
  let run: RunDetail | undefined;
  let doc: RunDocument | undefined;
  let selected: string | undefined;
  const rows = new Map<string, HTMLTableRowElement>();

  const drawRow = (b: BlockState): void => {
    const row = h(
      'tr',
      { 'data-block': b.id, 'data-state': b.status },
      h('th', { scope: 'row' }, h('button', { type: 'button', class: 'link', onclick: () => select(b.id) }, b.id)),
      h('td', {}, b.lang),
      h('td', {}, badge(b.status)),
      h('td', {}, b.head ?? '–'),
      h('td', {}, duration(b.durationMs)),
      h('td', { class: 'num' }, Math.max(0, b.attempts - 1)),
      h('td', { class: 'error-cell' }, b.error ? `${b.error.code}: ${b.error.message}` : (b.reason ?? '')),
    );
    const old = rows.get(b.id);
    if (old) old.replaceWith(row);
    else blockRows.append(row);
    rows.set(b.id, row);
  };

  const drawDetail = (): void => {
    const b = selected === undefined ? undefined : state.blocks.get(selected);
    if (!b)
      return fill(
        detail,
        h('h2', { id: 'detail-h' }, 'Block'),
        h('p', {}, 'Select a block in the graph or the table.'),
      );
    const stored = run?.blocks.find((x) => x.id === b.id);
    const tickets = run?.tickets.filter((t) => t.blockId === b.id) ?? [];
    fill(
      detail,
      h('h2', { id: 'detail-h' }, `Block ${b.id} `, badge(b.status)),
      b.error ? h('p', { class: 'notice error' }, `${b.error.code}: ${b.error.message}`) : null,
      h('h3', {}, 'Log'),
      h('ol', { class: 'log' }, ...b.log.map((line) => h('li', {}, line))),
      h('h3', {}, 'Outputs'),
      stored?.outputs && Object.keys(stored.outputs).length > 0
        ? valueView(stored.outputs, b.id)
        : h('p', {}, 'None yet.'),
      tickets.length > 0
        ? h(
            'p',
            {},
            'Signed tickets in the audit log: ',
            ...tickets.flatMap((t, i) => [
              i > 0 ? ', ' : '',
              h('a', { href: `#/audit/${t.logIndex}` }, `entry ${t.logIndex}`),
            ]),
            ' (check the inclusion proof in the browser).',
          )
        : null,
    );
  };

  const select = (blockId: string): void => {
    selected = blockId;
    drawDetail();
    detail.querySelector('h2')?.setAttribute('tabindex', '-1');
    (detail.querySelector('h2') as HTMLElement | null)?.focus();
  };

  /** What the graph and the table show of a block: they are redrawn only when it changes (not for log lines). */
  const drawn = new Map<string, string>();
  const changed = (blockId: string): void => {
    const b = state.blocks.get(blockId);
    if (!b) return;
    const look = JSON.stringify([b.status, b.lang, b.head, b.durationMs, b.attempts, b.error, b.reason]);
    if (drawn.get(blockId) !== look) {
      drawn.set(blockId, look);
      dag?.update(b);
      drawRow(b);
    }
    if (blockId === selected) drawDetail();
  };

  const drawRun = (): void => {
    if (!run) return;
    const s = state.status === 'running' ? run.status : state.status;
    fill(status, badge(s));
    fill(
      meta,
      h('dt', {}, 'Run'),
      h('dd', {}, h('code', {}, run.id)),
      h('dt', {}, 'Submitted by'),
      h('dd', {}, run.identity),
      h('dt', {}, 'Document'),
      h('dd', {}, run.documentId ?? '–'),
      h('dt', {}, 'Started'),
      h('dd', {}, when(run.startedAt)),
      h('dt', {}, 'Duration'),
      h('dd', {}, run.finishedAt ? duration(Date.parse(run.finishedAt) - Date.parse(run.startedAt)) : 'running'),
    );
    const running = s === 'running';
    fill(
      actions,
      h('button', { type: 'button', class: 'danger', disabled: !running, onclick: () => void cancel() }, 'Cancel run'),
      h('button', { type: 'button', disabled: !doc, onclick: () => void rerun() }, 'Run again'),
    );
    const error = run.error ?? state.error;
    fill(
      runOutputs,
      error ? h('p', { class: 'notice error' }, `${error.code}: ${error.message}`) : null,
      run.outputs && Object.keys(run.outputs).length > 0
        ? valueView(run.outputs, 'outputs')
        : h('p', {}, running ? 'Not yet.' : 'None.'),
    );
  };

  const fetchRun = async (): Promise<void> => applyRun(await api.get<RunDetail>(`/v1/runs/${encodeURIComponent(id)}`));
  const applyRun = (fetched: RunDetail): void => {
    run = fetched;
    for (const stored of run.blocks) {
      const b = state.block(stored.id);
      // The stored row is final: it wins over a replay still on its way.
      b.lang = stored.lang;
      b.status = stored.status as BlockState['status'];
      b.head = stored.head;
      b.durationMs = stored.durationMs;
      b.attempts = stored.attempts;
      b.error = stored.error;
      changed(stored.id);
    }
    if (run.status !== 'running') state.status = run.status as RunState['status'];
    drawRun();
    if (selected) drawDetail();
  };
  const scheduleFetch = (): void => {
    refetch ??= setTimeout(() => {
      refetch = undefined;
      if (!stopped) void fetchRun().catch((e: unknown) => fill(notice, errorNotice(e)));
    }, 150);
  };

  const cancel = async (): Promise<void> => {
    if (!confirm(`Cancel run ${shortId(id)}? Running blocks are stopped and blocks not started are skipped.`)) return;
    try {
      await api.postJson(`/v1/runs/${encodeURIComponent(id)}/cancel`, {});
      fill(notice, h('p', { class: 'notice' }, 'Cancelling…'));
    } catch (error) {
      fill(notice, errorNotice(error));
    }
  };
  const rerun = async (): Promise<void> => {
    if (!doc || !confirm('Run this document again with the same inputs?')) return;
    try {
      const answer = await api.postJson<{ id: string }>('/v1/runs', { document: doc.text, inputs: run?.inputs ?? {} });
      location.hash = `#/runs/${encodeURIComponent(answer.id)}`;
    } catch (error) {
      fill(notice, errorNotice(error));
    }
  };

  const drawSource = (d: RunDocument): void => {
    const lines = d.text.split('\n');
    const blockLines = new Set(d.blocks.map((b) => b.line));
    fill(
      source,
      h(
        'pre',
        { class: 'source', tabindex: 0, 'aria-label': 'Document source' },
        h(
          'code',
          {},
          ...lines.map((text, i) =>
            h('span', { class: blockLines.has(i + 1) ? 'line block-line' : 'line', 'data-line': i + 1 }, text, '\n'),
          ),
        ),
      ),
      h('h3', {}, 'History'),
      d.history.length === 0
        ? h('p', {}, 'No History entries.')
        : h(
            'ol',
            { class: 'history' },
            ...d.history.map((e) =>
              h(
                'li',
                {},
                h('span', { class: 'where' }, `line ${e.line}`),
                ' ',
                h('time', {}, e.timestamp),
                ' ',
                h('strong', {}, e.action),
                ' ',
                e.text,
              ),
            ),
          ),
    );
  };

  void (async () => {
    try {
      const [r, d] = await Promise.all([
        api.get<RunDetail>(`/v1/runs/${encodeURIComponent(id)}`),
        api.get<RunDocument>(`/v1/runs/${encodeURIComponent(id)}/document`).catch((e: unknown) => {
          if (e instanceof ApiError && e.status === 404) return undefined;
          throw e;
        }),
      ]);
      if (stopped) return;
      run = r;
      doc = d;
      const planned = d?.blocks ?? r.blocks.map((b) => ({ id: b.id, lang: b.lang, line: 0, needs: [] }));
      state = new RunState(planned);
      dag = dagView(planned, d?.stages ?? [], select);
      graph.replaceChildren(dag.element);
      for (const b of state.blocks.values()) changed(b.id);
      applyRun(r);
      drawDetail();
      // The source (hundreds of lines for a large plan) is drawn after the graph has been painted.
      if (d) setTimeout(() => !stopped && drawSource(d), 0);
      unfollow = followRun(id, {
        onEvent: (event) => {
          const which = state.apply(event);
          if (which === undefined) return;
          if (which === 'run') {
            drawRun();
            if (event.type === 'run_finished') scheduleFetch();
            return;
          }
          changed(which);
          if (event.type.startsWith('block_') && event.type !== 'block_started') scheduleFetch();
        },
        onFinished: scheduleFetch,
        onError: (message) => fill(notice, h('p', { class: 'notice error', role: 'alert' }, message)),
      });
    } catch (error) {
      fill(notice, errorNotice(error));
    }
  })();
  return () => {
    stopped = true;
    unfollow?.();
    clearTimeout(refetch);
  };
};
