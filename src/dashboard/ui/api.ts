/**
 * The dashboard's calls to the gateway API. Authentication is the API's own: a bearer token, pasted once and
 * kept in this tab's sessionStorage (never a cookie, so another site cannot make the browser send it: there is
 * no cross-site request forgery to defend against), sent as `Authorization: Bearer` on every call and as
 * `access_token` on the WebSocket, where browsers cannot set headers. A gateway started with `--auth none`
 * needs none.
 */

const TOKEN_KEY = 'maml.token';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> | undefined,
  ) {
    super(message);
  }
}

export function token(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(value: string | null): void {
  if (value) sessionStorage.setItem(TOKEN_KEY, value);
  else sessionStorage.removeItem(TOKEN_KEY);
}

async function call<T>(method: string, path: string, body?: { type: string; text: string }): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const t = token();
  if (t) headers['authorization'] = `Bearer ${t}`;
  if (body) headers['content-type'] = body.type;
  const res = await fetch(path, { method, headers, ...(body ? { body: body.text } : {}), credentials: 'omit' });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const e = (json as { error?: { code?: string; message?: string; details?: Record<string, unknown> } })?.error;
    throw new ApiError(res.status, e?.code ?? 'http_error', e?.message ?? `HTTP ${res.status}`, e?.details);
  }
  return json as T;
}

export const api = {
  get: <T>(path: string): Promise<T> => call<T>('GET', path),
  postJson: <T>(path: string, value: unknown): Promise<T> =>
    call<T>('POST', path, { type: 'application/json', text: JSON.stringify(value) }),
  postMarkdown: <T>(path: string, text: string): Promise<T> =>
    call<T>('POST', path, { type: 'text/markdown; charset=utf-8', text }),
};

/** Shapes of the answers the pages read. */
export interface RunSummary {
  id: string;
  status: string;
  identity: string;
  documentId: string | null;
  title: string | null;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
}

export interface RunBlock {
  id: string;
  lang: string;
  head: string | null;
  status: string;
  attempts: number;
  cached: boolean;
  durationMs: number | null;
  outputs: Record<string, unknown> | null;
  error: { code: string; message: string } | null;
}

export interface RunDetail {
  id: string;
  status: string;
  identity: string;
  documentId: string | null;
  startedAt: string;
  finishedAt: string | null;
  inputs: Record<string, unknown> | null;
  outputs: Record<string, unknown> | null;
  error: { code: string; message: string } | null;
  blocks: RunBlock[];
  tickets: { id: string; logIndex: number; blockId: string | null }[];
}

export interface RunDocument {
  text: string;
  blocks: { id: string; lang: string; line: number; needs: string[] }[];
  stages: string[][];
  history: { timestamp: string; action: string; text: string; line: number }[];
  inputSchema: unknown;
}

export interface Diagnostic {
  code: string;
  severity: string;
  message: string;
  line?: number;
  column?: number;
}
