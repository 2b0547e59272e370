/** The Runs page: the run list with filters and "more", kept current over the WebSocket without reloading. */
import { api, type RunSummary } from '../api.js';
import { errorNotice, heading, shortId, type Page } from '../common.js';
import { badge, duration, fill, h, when } from '../dom.js';
import { watchRuns } from '../live.js';

const STATUSES = ['running', 'succeeded', 'failed', 'cancelled'];

export const runsPage: Page = (view) => {
  const status = h(
    'select',
    { id: 'f-status', name: 'status' },
    h('option', { value: '' }, 'any'),
    ...STATUSES.map((s) => h('option', { value: s }, s)),
  );
  const documentFilter = h('input', { id: 'f-document', name: 'document', type: 'search', maxlength: 200 });
  const identity = h('input', { id: 'f-identity', name: 'identity', type: 'search', maxlength: 512 });
  const rows = h('tbody', {});
  const more = h('button', { type: 'button', class: 'more', hidden: true }, 'Show more');
  const notice = h('div', { 'aria-live': 'polite' });
  const byId = new Map<string, HTMLTableRowElement>();
  let next: string | null = null;

  const query = (cursor: string | null): string => {
    const q = new URLSearchParams({ limit: '50' });
    if (status.value) q.set('status', status.value);
    if (documentFilter.value.trim()) q.set('document', documentFilter.value.trim());
    if (identity.value.trim()) q.set('identity', identity.value.trim());
    if (cursor) q.set('cursor', cursor);
    return `/v1/runs?${q.toString()}`;
  };
  const row = (r: RunSummary): HTMLTableRowElement =>
    h(
      'tr',
      { 'data-run-id': r.id, 'data-status': r.status },
      h('td', {}, badge(r.status)),
      h(
        'td',
        {},
        h('a', { href: `#/runs/${encodeURIComponent(r.id)}` }, r.title ?? r.documentId ?? `run ${shortId(r.id)}`),
      ),
      h('td', {}, r.identity),
      h('td', {}, duration(r.durationMs)),
      h('td', {}, when(r.startedAt)),
    );
  const upsert = (r: RunSummary, atTop: boolean): void => {
    const el = row(r);
    const old = byId.get(r.id);
    if (old) old.replaceWith(el);
    else if (atTop) rows.prepend(el);
    else rows.append(el);
    byId.set(r.id, el);
  };
  const load = async (cursor: string | null): Promise<void> => {
    try {
      const page = await api.get<{ runs: RunSummary[]; next: string | null }>(query(cursor));
      if (cursor === null) {
        rows.replaceChildren();
        byId.clear();
      }
      for (const r of page.runs) upsert(r, false);
      next = page.next;
      more.hidden = next === null;
      fill(notice, byId.size === 0 ? h('p', { class: 'empty' }, 'No runs match.') : null);
    } catch (error) {
      fill(notice, errorNotice(error));
    }
  };
  // Live: a new run of ours appears at the top, a known one changes state; the first page is fetched again
  // (at most every 300 ms) so the rows carry what the server stored.
  let pending: ReturnType<typeof setTimeout> | undefined;
  const refreshTop = (): void => {
    pending ??= setTimeout(async () => {
      pending = undefined;
      try {
        const page = await api.get<{ runs: RunSummary[] }>(query(null));
        for (const r of [...page.runs].reverse()) upsert(r, true);
      } catch {
        // the next event tries again
      }
    }, 300);
  };
  const unwatch = watchRuns((runId, s) => {
    const existing = byId.get(runId);
    if (existing) {
      existing.dataset['status'] = s;
      existing.cells[0]?.replaceChildren(badge(s));
    }
    refreshTop();
  });
  more.addEventListener('click', () => void load(next));
  const form = h(
    'form',
    {
      class: 'filters',
      role: 'search',
      onsubmit: (e: Event) => {
        e.preventDefault();
        void load(null);
      },
    },
    h('label', { for: 'f-status' }, 'Status'),
    status,
    h('label', { for: 'f-document' }, 'Document'),
    documentFilter,
    h('label', { for: 'f-identity' }, 'Submitted by'),
    identity,
    h('button', { type: 'submit' }, 'Filter'),
  );
  view.append(
    heading('Runs'),
    form,
    notice,
    h(
      'div',
      { class: 'scroll' },
      h(
        'table',
        { class: 'runs' },
        h('caption', { class: 'sr-only' }, 'Runs, newest first'),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...['Status', 'Document', 'Submitted by', 'Duration', 'Started'].map((c) => h('th', { scope: 'col' }, c)),
          ),
        ),
        rows,
      ),
    ),
    more,
  );
  void load(null);
  return () => {
    unwatch();
    clearTimeout(pending);
  };
};
