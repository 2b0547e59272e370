/**
 * Which methods each path takes, for `405 Method Not Allowed` with its `Allow` header (RFC 9110 §15.5.6: the
 * server MUST send Allow with a 405) when a known path is asked with another method; unknown paths stay 404.
 * Paths are matched the way they are registered: `:name` is one non-empty segment.
 */

interface PathMethods {
  readonly pattern: RegExp;
  readonly methods: Set<string>;
}

export class RouteMethods {
  private readonly paths = new Map<string, PathMethods>();

  add(method: string, url: string): void {
    let entry = this.paths.get(url);
    if (!entry) {
      const source = url
        .split('/')
        .map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
        .join('/');
      entry = { pattern: new RegExp(`^${source}$`), methods: new Set() };
      this.paths.set(url, entry);
    }
    entry.methods.add(method.toUpperCase());
    // Fastify answers HEAD for every GET route (exposeHeadRoutes).
    if (method.toUpperCase() === 'GET') entry.methods.add('HEAD');
  }

  /** The methods `path` (no query) takes, sorted; undefined when no route has that path. */
  allowed(path: string): string[] | undefined {
    const methods = new Set<string>();
    for (const entry of this.paths.values())
      if (entry.pattern.test(path)) for (const m of entry.methods) methods.add(m);
    return methods.size === 0 ? undefined : [...methods].sort();
  }
}
