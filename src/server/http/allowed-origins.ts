/**
 * The `Origin` check (RFC 6454 §7): a browser names the page that made a request, on every cross-origin request
 * and every WebSocket handshake. The gateway serves no pages, so a request with an Origin comes from some web page:
 * it is accepted only from the gateway's own origin (the page's host and port are the request's Host) or from an
 * origin given with `--allowed-origins`. `Origin: null` (sandboxed frames, `file:` pages, some redirects) names
 * no one and is refused. Requests without Origin (curl, SDKs, other servers) are not browsers' and are not checked
 * here; the MCP Streamable HTTP transport's security warning asks for exactly this check on /mcp.
 */

/** `scheme://host[:port]` in the spelling the URL standard serializes an origin to, or undefined. */
export function normalizeOrigin(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.username || url.password || url.search || url.hash || (url.pathname !== '/' && url.pathname !== ''))
    return undefined;
  return url.origin;
}

export class AllowedOrigins {
  private readonly origins: ReadonlySet<string>;

  constructor(entries: readonly string[]) {
    const origins = new Set<string>();
    for (const entry of entries) {
      const origin = normalizeOrigin(entry);
      if (origin === undefined)
        throw new Error(
          `--allowed-origins: ${JSON.stringify(entry)} is not an origin; write scheme://host[:port], e.g. https://app.example.com`,
        );
      origins.add(origin);
    }
    this.origins = origins;
  }

  get size(): number {
    return this.origins.size;
  }

  has(origin: string): boolean {
    return this.origins.has(origin);
  }
}

export type OriginVerdict =
  | {
      readonly ok: true;
      /** An origin from --allowed-origins (answers then carry CORS headers). */ readonly cors: string | undefined;
    }
  | { readonly ok: false; readonly message: string };

/** Same origin: the page's host and port are those the request was sent to (default ports left out alike). */
function sameOrigin(origin: URL, host: string | undefined): boolean {
  if (host === undefined) return false;
  try {
    return new URL(`${origin.protocol}//${host}`).host === origin.host;
  } catch {
    return false;
  }
}

export function checkOrigin(
  allowed: AllowedOrigins,
  header: string | undefined,
  host: string | undefined,
): OriginVerdict {
  if (header === undefined) return { ok: true, cors: undefined };
  const how = allowed.size > 0 ? 'the origins given with --allowed-origins' : 'origins given with --allowed-origins';
  if (header.trim() === 'null')
    return {
      ok: false,
      message: `requests with Origin: null (sandboxed pages, file: pages, redirects) are refused; serve the page from one of ${how}`,
    };
  const origin = normalizeOrigin(header);
  if (origin === undefined)
    return { ok: false, message: `the Origin header ${JSON.stringify(header)} is not an origin` };
  if (sameOrigin(new URL(origin), host)) return { ok: true, cors: undefined };
  if (allowed.has(origin)) return { ok: true, cors: origin };
  return {
    ok: false,
    message: `requests from web pages on ${origin} are refused: this gateway accepts only same-origin requests and ${how}; start it with --allowed-origins ${origin} to allow that site`,
  };
}
