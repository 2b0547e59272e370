// Paths to the repository from compiled tests (.build/test/...), independent of the working directory.
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/', import.meta.url));
export const CLI = fileURLToPath(new URL('../../../dist/cli/bin.js', import.meta.url));
