/**
 * Module loader hooks for `module-trace-register.ts`. Node runs them on its hooks thread; each module's URL is
 * appended to the trace file before the module is loaded, so a module that fails to load is recorded too.
 */
import { appendFileSync } from 'node:fs';
import type { InitializeHook, LoadHook } from 'node:module';

let traceFile = '';

export const initialize: InitializeHook<{ file: string }> = (data) => {
  traceFile = data.file;
};

export const load: LoadHook = (url, context, nextLoad) => {
  appendFileSync(traceFile, `${url}\n`);
  return nextLoad(url, context);
};
