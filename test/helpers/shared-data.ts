/**
 * The public data sets beside the clone (`../shared/data/`, see its README), or where MAML_SHARED_DATA points.
 * A test that needs one skips with the reason where it is missing, and fails instead in CI (MAML_REQUIRE_TOOLS).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ROOT } from './paths.js';
import { needTool } from './tools.js';

export const SHARED_DATA = resolve(process.env['MAML_SHARED_DATA'] ?? join(ROOT, '..', 'shared', 'data'));

/** The path of a data file, and the reason to skip (or false) when it is not there. */
export function sharedData(relative: string): { path: string; skip: string | false } {
  const path = join(SHARED_DATA, relative);
  return {
    path,
    skip: needTool(
      existsSync(path)
        ? false
        : `${path} is missing (the shared data sets sit beside the clone, or set MAML_SHARED_DATA)`,
    ),
  };
}
