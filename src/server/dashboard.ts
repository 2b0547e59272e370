/**
 * Serves the web dashboard (built into dist/dashboard by `npm run build`: src/dashboard compiled for the browser,
 * plus its HTML and CSS) at `/` and `/ui/…`. The files are read once at start and answered from memory; only
 * the files found there are routes, so no request path ever reaches the file system. The pages are public (they
 * hold no data); everything they show comes from the API with the same bearer token as any client's.
 *
 * Every dashboard answer carries a strict Content-Security-Policy: scripts, styles and connections from this
 * origin only, no inline script or style, no plugins, frames or forms posting elsewhere, and Trusted Types
 * required, so a string can never reach an HTML sink (innerHTML, document.write) even by mistake: the page
 * builds every element with the DOM and shows every value as text.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "require-trusted-types-for 'script'",
  "trusted-types 'none'",
].join('; ');

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** Where `npm run build` puts the dashboard, next to this module's compiled folder. */
export function defaultDashboardDir(): string {
  return fileURLToPath(new URL('../dashboard/', import.meta.url));
}

export interface DashboardAsset {
  readonly body: Buffer;
  readonly type: string;
}

/** The dashboard's files by URL path (`/` is index.html); empty when the directory has no index.html. */
export function loadDashboard(dir: string): Map<string, DashboardAsset> {
  const assets = new Map<string, DashboardAsset>();
  if (!existsSync(join(dir, 'index.html'))) return assets;
  const walk = (at: string): void => {
    for (const name of readdirSync(at).sort()) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) {
        walk(path);
        continue;
      }
      const type = TYPES[name.slice(name.lastIndexOf('.'))];
      if (type === undefined) continue;
      const url = relative(dir, path).split(sep).join('/');
      assets.set(url === 'index.html' ? '/' : `/ui/${url}`, { body: readFileSync(path), type });
    }
  };
  walk(dir);
  return assets;
}

/** Registers one GET route per dashboard file; returns the paths registered. */
export function registerDashboard(app: FastifyInstance, assets: ReadonlyMap<string, DashboardAsset>): string[] {
  for (const [url, asset] of assets)
    app.get(url, async (_request, reply) =>
      reply
        .header('content-type', asset.type)
        .header('content-security-policy', DASHBOARD_CSP)
        .header('cache-control', 'no-cache')
        .send(asset.body),
    );
  return [...assets.keys()];
}
