/**
 * The Heads page: the gateway's local head pool (state, class, process, last heartbeat, tickets signed) and its
 * queue, refreshed every 2 s. Remote workers get their own table here once the gateway reports them
 * (`workers` in GET /v1/heads, empty today).
 */
import { api } from '../api.js';
import { errorNotice, heading, type Page } from '../common.js';
import { badge, fill, h } from '../dom.js';

interface HeadsAnswer {
  heads: {
    name: string;
    headClass: string;
    pid: number | null;
    state: string;
    lastHeartbeat: string;
    tickets: number;
  }[];
  queued: number;
  workers: unknown[];
}

function ago(iso: string): string {
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  return s < 1 ? 'just now' : `${s} s ago`;
}

export const headsPage: Page = (view) => {
  const body = h('div', { 'aria-live': 'off' });
  const draw = async (): Promise<void> => {
    try {
      const a = await api.get<HeadsAnswer>('/v1/heads');
      fill(
        body,
        h(
          'p',
          {},
          `${a.heads.length} heads, ${a.heads.filter((x) => x.state === 'busy').length} busy, ${a.queued} tasks waiting for a head.`,
        ),
        h(
          'div',
          { class: 'scroll' },
          h(
            'table',
            { class: 'heads' },
            h('caption', { class: 'sr-only' }, 'Heads of the local pool'),
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ...['Head', 'Class', 'State', 'Process', 'Last heartbeat', 'Tickets signed'].map((c) =>
                  h('th', { scope: 'col' }, c),
                ),
              ),
            ),
            h(
              'tbody',
              {},
              ...a.heads.map((x) =>
                h(
                  'tr',
                  { 'data-head': x.name },
                  h('th', { scope: 'row' }, x.name),
                  h('td', {}, x.headClass),
                  h('td', {}, badge(x.state)),
                  h('td', {}, x.pid === null ? '–' : `pid ${x.pid}`),
                  h('td', {}, h('time', { datetime: x.lastHeartbeat }, ago(x.lastHeartbeat))),
                  h('td', { class: 'num' }, x.tickets),
                ),
              ),
            ),
          ),
        ),
        h('h2', {}, 'Workers'),
        h(
          'p',
          {},
          a.workers.length === 0
            ? 'This gateway runs blocks on its own head pool above; it reports no remote workers.'
            : `${a.workers.length} remote workers.`,
        ),
      );
    } catch (error) {
      fill(body, errorNotice(error));
    }
  };
  view.append(heading('Heads'), body);
  void draw();
  const timer = setInterval(() => void draw(), 2000);
  return () => clearInterval(timer);
};
