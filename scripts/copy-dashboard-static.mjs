#!/usr/bin/env node
// Part of `npm run build`: copies the dashboard's HTML and CSS (src/dashboard/static) next to its compiled
// scripts in dist/dashboard, where `maml serve` finds them. index.html gets a `modulepreload` link for every
// compiled module in place of its `<!-- modulepreload -->` line, so the browser fetches them all at once instead
// of discovering the import graph one level at a time.
import { cpSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const out = 'dist/dashboard';
mkdirSync(out, { recursive: true });
cpSync('src/dashboard/static', out, { recursive: true });
const modules = [];
const walk = (dir) => {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (name.endsWith('.js')) modules.push(`/ui/${relative(out, path).split(sep).join('/')}`);
  }
};
walk(out);
const index = join(out, 'index.html');
const html = readFileSync(index, 'utf8');
const links = modules.map((m) => `    <link rel="modulepreload" href="${m}" />`).join('\n');
writeFileSync(index, html.replace(/^\s*<!-- modulepreload -->$/m, links));
