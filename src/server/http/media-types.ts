/**
 * Request media types per route, checked before the body is read. A route that takes a body names every type it
 * accepts (JSON always, `text/markdown` for documents, …); a `POST` without a body takes none, or an empty JSON one.
 * None of the three "CORS-simple" types a web page may send cross-site without a preflight
 * (`application/x-www-form-urlencoded`, `multipart/form-data`, `text/plain`; Fetch standard §3.2.3 "CORS-safelisted
 * request-header") reaches a route that changes state.
 */

export interface MediaTypes {
  /** Accepted media type essences, lower case (`application/json`, `text/markdown`). */
  readonly types: readonly string[];
  /** The route reads a body: a request without a Content-Type is refused. */
  readonly bodyRequired: boolean;
}

/** The media type essence (RFC 9110 §8.3.1: type/subtype, case-insensitive) and its charset parameter. */
export function parseContentType(header: string): { essence: string; charset: string | undefined } {
  const [essence = '', ...parameters] = header.split(';');
  let charset: string | undefined;
  for (const parameter of parameters) {
    const eq = parameter.indexOf('=');
    if (eq < 0 || parameter.slice(0, eq).trim().toLowerCase() !== 'charset') continue;
    charset = parameter
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .toLowerCase();
  }
  return { essence: essence.trim().toLowerCase(), charset };
}

function list(types: readonly string[]): string {
  return types.length <= 1 ? (types[0] ?? '') : `${types.slice(0, -1).join(', ')} or ${types.at(-1) ?? ''}`;
}

/**
 * Undefined when the request's Content-Type suits the route, else a message that says what the route accepts.
 * `method` and `url` only go into the message.
 */
export function mediaTypeProblem(
  accepted: MediaTypes,
  header: string | undefined,
  method: string,
  url: string,
): string | undefined {
  const route = `${method} ${url}`;
  if (header === undefined || header.trim() === '') {
    if (!accepted.bodyRequired) return undefined;
    return `${route} needs a body with Content-Type ${list(accepted.types)}`;
  }
  const { essence, charset } = parseContentType(header);
  if (!accepted.types.includes(essence))
    return accepted.bodyRequired
      ? `${route} accepts Content-Type ${list(accepted.types)}, not ${essence || 'an empty type'}`
      : `${route} takes no body: send no Content-Type, or application/json with an empty object`;
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8')
    return `${route} reads bodies as UTF-8; send charset=utf-8 (or no charset), not charset=${charset}`;
  return undefined;
}
