/** Pieces every page uses: the page heading, error notices, and the page contract. */
import { ApiError } from './api.js';
import { h } from './dom.js';

/** A page draws itself into `view` and returns what stops its timers and subscriptions. */
export type Page = (view: HTMLElement, param: string) => () => void;

export function heading(text: string, ...extra: (Node | string)[]): HTMLHeadingElement {
  return h('h1', { tabindex: -1 }, text, ...extra);
}

export function errorNotice(error: unknown): HTMLElement {
  if (error instanceof ApiError && error.status === 401)
    return h(
      'p',
      { class: 'notice error', role: 'alert' },
      'This gateway needs a bearer token: paste one under “Token” at the top of the page. ',
      `(${error.message})`,
    );
  const message = error instanceof ApiError ? `${error.code}: ${error.message}` : String(error);
  return h('p', { class: 'notice error', role: 'alert' }, message);
}

export function shortId(id: string): string {
  return id.slice(0, 8);
}
