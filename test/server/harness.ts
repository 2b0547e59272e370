/** Starts a gateway on 127.0.0.1 (a free port) for a test, with small head pools so start-up stays quick. */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { createGateway, type AuthOptions, type Gateway, type GatewayOptions } from '../../src/server/index.js';

export interface RunningGateway {
  readonly gateway: Gateway;
  readonly url: string;
  request(path: string, init?: RequestInit): Promise<Response>;
  json<T = Record<string, unknown>>(
    path: string,
    init?: RequestInit,
  ): Promise<{ status: number; body: T; res: Response }>;
}

export async function startGateway(
  options: Partial<GatewayOptions> & { auth?: AuthOptions; token?: string } = {},
): Promise<RunningGateway> {
  const gateway = await createGateway({
    auth: options.auth ?? { mode: 'none' },
    heads: [
      { headClass: 'quantum', count: 1 },
      { headClass: 'ai', count: 2 },
    ],
    shutdownGraceMs: 5000,
    ...options,
  });
  const url = await gateway.listen(0, '127.0.0.1');
  const request = (path: string, init: RequestInit = {}): Promise<Response> => {
    const headers = new Headers(init.headers);
    if (options.token && !headers.has('authorization')) headers.set('authorization', `Bearer ${options.token}`);
    return fetch(`${url}${path}`, { ...init, headers });
  };
  return {
    gateway,
    url,
    request,
    async json<T>(path: string, init?: RequestInit) {
      const res = await request(path, init);
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T, res };
    },
  };
}

export const markdown = (text: string): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'text/markdown' },
  body: text,
});

export const jsonBody = (value: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(value),
});

const FRONT = (extra = ''): string =>
  `---\nmaml_version: "1.0"\nid: "urn:uuid:6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f"\ntype: workflow\norigin: "agent://test"\ntags: [demo, bell]\n${extra}---\n\n`;

/** Three fast blocks (OpenQASM, bash, JavaScript) in a chain; Bell counts, a greeting and a sum. */
export const WORKFLOW = `${FRONT()}## Intent

Prepare a Bell pair, then greet and add numbers.

## Code_Blocks

\`\`\`qasm {#bell shots=200 seed=7}
OPENQASM 3.0;
include "stdgates.inc";
qubit[2] q;
bit[2] c;
h q[0];
cx q[0], q[1];
c = measure q;
\`\`\`

\`\`\`bash {#greet needs=bell}
maml_output greeting hello
\`\`\`

\`\`\`javascript {#sum needs=greet}
maml.output('sum', 40 + 2);
\`\`\`
`;

/** A block that sleeps, then one that depends on it: for cancel and shutdown. */
export const SLOW_WORKFLOW = `${FRONT()}## Intent

Wait, then finish.

## Code_Blocks

\`\`\`bash {#wait}
sleep 2
maml_output waited true
\`\`\`

\`\`\`bash {#after needs=wait}
maml_output done true
\`\`\`
`;

export const restricted = (pattern: string): string =>
  WORKFLOW.replace('tags: [demo, bell]\n', `tags: [demo, bell]\npermissions:\n  execute: ["${pattern}"]\n`);

/** Waits until the run is no longer running (polling; the e2e tests also stream). */
export async function waitForRun(gw: RunningGateway, id: string): Promise<Record<string, unknown>> {
  for (;;) {
    const { body } = await gw.json(`/v1/runs/${id}`);
    if (body['status'] !== 'running') return body;
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
  /** The body parsed as JSON (undefined when it is not JSON). */
  readonly json: Record<string, unknown> | undefined;
}

/**
 * One request with node:http, which, unlike fetch, sends any Host and Origin it is given: for the checks a
 * browser's requests meet. A fresh connection per request.
 */
export function rawRequest(
  base: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawResponse> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path,
        method: options.method ?? 'GET',
        headers: options.headers ?? {},
        agent: false,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          let json: Record<string, unknown> | undefined;
          try {
            json = JSON.parse(text) as Record<string, unknown>;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** The `error.code` and `error.message` of an error body. */
export function errorOf(body: Record<string, unknown> | undefined): { code: unknown; message: string } {
  const error = body?.['error'] as { code?: unknown; message?: unknown } | undefined;
  return { code: error?.code, message: String(error?.message) };
}

/** One OpenQASM block on the quantum head: the smallest workflow that runs. */
export const ONE_BLOCK = `${FRONT()}## Intent

Flip one qubit.

## Code_Blocks

\`\`\`qasm {#flip shots=8}
OPENQASM 3.0;
include "stdgates.inc";
qubit q;
bit c;
x q;
c = measure q;
\`\`\`
`;
