/**
 * The dashboard's entry: the navigation, the token form, and a hash router (`#/runs`, `#/runs/<id>`,
 * `#/submit`, `#/heads`, `#/audit`, `#/audit/<log index>`) that swaps pages without reloading, so live
 * subscriptions survive navigation inside a page.
 */
import { setToken, token } from './api.js';
import type { Page } from './common.js';
import { h } from './dom.js';
import { onConnection, resetSocket } from './live.js';
import { auditPage } from './pages/audit.js';
import { headsPage } from './pages/heads.js';
import { runPage } from './pages/run.js';
import { runsPage } from './pages/runs.js';
import { submitPage } from './pages/submit.js';

const view = document.getElementById('view') as HTMLElement;
let stop: (() => void) | undefined;

function resolve(hash: string): { page: Page; param: string; nav: string } {
  const [, section = 'runs', param = ''] = /^#\/([a-z]+)(?:\/(.*))?$/.exec(hash) ?? [];
  switch (section) {
    case 'runs':
      return param
        ? { page: runPage, param: decodeURIComponent(param), nav: 'runs' }
        : { page: runsPage, param, nav: 'runs' };
    case 'submit':
      return { page: submitPage, param, nav: 'submit' };
    case 'heads':
      return { page: headsPage, param, nav: 'heads' };
    case 'audit':
      return { page: auditPage, param: decodeURIComponent(param), nav: 'audit' };
    default:
      return { page: runsPage, param: '', nav: 'runs' };
  }
}

function route(): void {
  stop?.();
  view.replaceChildren();
  const { page, param, nav } = resolve(location.hash);
  for (const a of document.querySelectorAll<HTMLAnchorElement>('nav a[data-nav]'))
    if (a.dataset['nav'] === nav) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  stop = page(view, param);
  view.querySelector<HTMLElement>('h1')?.focus({ preventScroll: true });
}

function tokenForm(): HTMLElement {
  const input = h('input', {
    type: 'password',
    id: 'token',
    autocomplete: 'off',
    placeholder: 'Bearer token (JWT)',
  });
  const state = h('span', { class: 'token-state' }, token() ? 'token set' : 'no token');
  const form = h(
    'form',
    {
      class: 'token-form',
      onsubmit: (e: Event) => {
        e.preventDefault();
        setToken(input.value.trim() || null);
        input.value = '';
        state.textContent = token() ? 'token set' : 'no token';
        resetSocket();
        route();
      },
    },
    h('label', { for: 'token' }, 'Token'),
    input,
    h('button', { type: 'submit' }, 'Use'),
    state,
  );
  return h('details', { class: 'token' }, h('summary', {}, 'Token'), form);
}

document.getElementById('auth')?.replaceChildren(tokenForm());
const live = document.getElementById('live');
onConnection((connected) => {
  if (live) {
    live.textContent = connected ? 'live' : 'offline';
    live.className = connected ? 'live on' : 'live off';
  }
});
window.addEventListener('hashchange', route);
route();
