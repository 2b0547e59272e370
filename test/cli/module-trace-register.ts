/**
 * A `node --import` script for tests: records every module the process loads in the file named by
 * MAML_TRACE_MODULES, one URL a line. ES modules are seen by a load hook; the CommonJS modules that a package
 * require()s internally are not (Node 20 has no synchronous hooks), so the require cache is added at exit.
 */
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';

const file = process.env['MAML_TRACE_MODULES'];
if (file) {
  register('./module-trace-hooks.js', import.meta.url, { data: { file } });
  process.on('exit', () => {
    const cached = Object.keys(createRequire(import.meta.url).cache);
    appendFileSync(file, cached.map((path) => `${pathToFileURL(path).href}\n`).join(''));
  });
}
